//! Cost of each generator stage and of the whole pipeline, on the real spec and on
//! synthetic specs of 10 to 10,000 items (`cargo bench -p codegen`).

use std::hint::black_box;
use std::time::Duration;

use codegen::emit;
use codegen::model::Model;
use codegen::spec::RawSpec;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const REAL_SPEC: &str = include_str!("../../spec/nethooks.toml");
const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

fn inputs() -> Vec<(String, String, usize)> {
    let real = codegen::load_str(REAL_SPEC, "spec/nethooks.toml").expect("real spec loads");
    let real_items = item_count(&real);
    let mut inputs = vec![("real".to_owned(), REAL_SPEC.to_owned(), real_items)];
    for n in SIZES {
        inputs.push((format!("synthetic-{n}"), codegen::synthetic::spec(n), n));
    }
    inputs
}

fn item_count(m: &Model) -> usize {
    m.constants.len() + m.enums.len() + m.structs.len() + m.hooks.len() + m.helpers.len()
}

fn resolved(text: &str) -> Model {
    codegen::load_str(text, "bench.toml").expect("bench spec loads")
}

fn stages(c: &mut Criterion) {
    for (name, text, items) in inputs() {
        let mut group = c.benchmark_group(format!("stages/{name}"));
        group.throughput(Throughput::Elements(items as u64));
        if items >= 1_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(5));
        }
        group.bench_function("load", |b| {
            b.iter(|| codegen::spec::parse(black_box(&text)).0.expect("parses"))
        });
        let raw: RawSpec = codegen::spec::parse(&text).0.expect("parses");
        // Resolving lays the structs out too: layout has no stage of its own.
        group.bench_function("validate", |b| {
            b.iter(|| codegen::resolve::resolve(black_box(&raw), "bench.toml").expect("valid"))
        });
        let model = resolved(&text);
        group.bench_function("emit_c_header", |b| {
            b.iter(|| emit::c_header::emit(black_box(&model)).expect("renders"))
        });
        group.bench_function("emit_rust", |b| {
            b.iter(|| emit::rust::bindings::emit(black_box(&model)).expect("renders"))
        });
        group.bench_function("emit_rust_hooks", |b| {
            b.iter(|| emit::rust::hooks::emit(black_box(&model)).expect("renders"))
        });
        group.bench_function("emit_hook_table", |b| {
            b.iter(|| emit::rust::hook_table::emit(black_box(&model)).expect("renders"))
        });
        group.bench_function("emit_doxyfile", |b| {
            b.iter(|| emit::doxyfile::emit(black_box(&model)).expect("renders"))
        });
        group.bench_function("emit_markdown", |b| {
            b.iter(|| emit::markdown::emit(black_box(&model)).expect("renders"))
        });
        group.finish();
    }
}

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    for (name, text, items) in inputs() {
        group.throughput(Throughput::Elements(items as u64));
        if items >= 1_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(10));
        }
        group.bench_with_input(BenchmarkId::from_parameter(&name), &text, |b, text| {
            b.iter(|| emit::all(&resolved(black_box(text))).expect("renders"))
        });
    }
    group.finish();
}

criterion_group!(benches, stages, pipeline);
criterion_main!(benches);
