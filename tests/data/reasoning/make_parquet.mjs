// Writes the sample rows (sample/*.jsonl) as parquet files, the way MMLU-ProX's release is
// published, with Apache Arrow's Rust parquet writer (the npm package parquet-wasm):
//   sample/test.parquet, sample/validation.parquet   snappy, dictionary-encoded strings,
//                                                    version 1 data pages, one row group
//   sample/validation-zstd-v2.parquet                zstd, plain strings, version 2 data pages,
//                                                    row groups of 4 rows
// usage: npm install parquet-wasm@0.7.1 apache-arrow@21.1.0 && node make_parquet.mjs
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as arrow from "apache-arrow";
import { createRequire } from "node:module";
import * as pq from "parquet-wasm/esm/parquet_wasm.js";

pq.initSync({ module: fs.readFileSync(createRequire(import.meta.url).resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")) });

const here = path.dirname(fileURLToPath(import.meta.url));
const fields = ["question_id", "question", ...Array.from({ length: 10 }, (_, i) => `option_${i}`), "answer",
  "answer_index", "cot_content", "category", "src"];

function table(rows) {
  const columns = {};
  for (const f of fields) {
    const values = rows.map((r) => r[f]);
    columns[f] = f === "question_id" || f === "answer_index"
      ? arrow.vectorFromArray(values.map((v) => BigInt(v)), new arrow.Int64())
      : arrow.vectorFromArray(values, new arrow.Utf8());
  }
  return new arrow.Table(columns);
}

function write(rows, file, props) {
  const wasmTable = pq.Table.fromIPCStream(arrow.tableToIPC(table(rows), "stream"));
  fs.writeFileSync(path.join(here, "sample", file), pq.writeParquet(wasmTable, props));
}

const read = (name) => fs.readFileSync(path.join(here, "sample", name + ".jsonl"), "utf8").trim().split("\n").map(JSON.parse);
const release = () => new pq.WriterPropertiesBuilder().setCompression(pq.Compression.SNAPPY)
  .setDictionaryEnabled(true).setWriterVersion(pq.WriterVersion.V1).build();
write(read("test"), "test.parquet", release());
write(read("validation"), "validation.parquet", release());
write(read("validation"), "validation-zstd-v2.parquet", new pq.WriterPropertiesBuilder()
  .setCompression(pq.Compression.ZSTD).setDictionaryEnabled(false).setWriterVersion(pq.WriterVersion.V2)
  .setMaxRowGroupSize(4).build());
console.log("wrote sample/test.parquet, sample/validation.parquet, sample/validation-zstd-v2.parquet");
