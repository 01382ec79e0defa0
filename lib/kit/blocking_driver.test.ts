import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { blockFor, BlockingDb, DbError } from "./blocking_driver.ts";

describe("blockFor", () => {
  it("blockFor() refuses a negative or NaN time with a RangeError, and returns for 0", () => {
    assert.throws(() => blockFor(-1), {
      name: "RangeError",
      message: /needs ms >= 0; received -1/,
    });
    assert.throws(() => blockFor(NaN), RangeError);
    assert.equal(blockFor(0), undefined);
  });
});

describe("BlockingDb", () => {
  const db = new BlockingDb({ latencyMs: 0 });

  it("BlockingDb.query() answers SELECT 1, SLEEP n and SELECT * FROM a table, rows copied", () => {
    assert.deepEqual(db.query("SELECT 1"), [{ value: 1 }]);
    assert.deepEqual(db.query("sleep 0"), [{ slept: 0 }]);
    const rows = db.query("SELECT * FROM users");
    assert.deepEqual(rows, [{ id: 1, name: "ada" }, { id: 2, name: "alan" }]);
    rows[0]!.name = "changed";
    assert.equal(db.query("SELECT * FROM users")[0]!.name, "ada", "each query gets fresh rows");
  });

  it("BlockingDb.query() reads the tables it was given, and only its own ones", () => {
    const own = new BlockingDb({ latencyMs: 0, tables: { jobs: [{ id: 7 }] } });
    assert.deepEqual(own.query("SELECT * FROM jobs"), [{ id: 7 }]);
    for (const name of ["users", "constructor", "toString", "hasOwnProperty", "__proto__"]) {
      assert.throws(
        () => own.query(`SELECT * FROM ${name}`),
        (e) => e instanceof DbError && e.message === `no such table: ${name}`,
        `${name} is no table`,
      );
    }
  });

  it("BlockingDb.query() fails other SQL with a DbError carrying its code and the query", () => {
    assert.throws(
      () => db.query("DROP TABLE users"),
      (e) =>
        e instanceof DbError && e.name === "DbError" && e.code === "SQLITE_ERROR" &&
        e.sql === "DROP TABLE users" && e.message === 'syntax error near "DROP"',
    );
  });

  it("BlockingDb.latencyMs is 50 ms unless given", () => {
    assert.equal(new BlockingDb().latencyMs, 50);
    assert.equal(db.latencyMs, 0);
  });
});
