// nethooks-verifier: verifies BPF objects with PREVAIL the way eBPF for Windows does.
// Upstream citations are `path:line` in eBPF for Windows at 00053ce6b (efW) and in
// PREVAIL at 67b6d03, the verifier it pins (the platform interface is its
// src/platform.hpp:58-79).
//
// The platform tables (program types, context descriptors, helper prototypes, map
// types) are not compiled in: `cargo run -p codegen` writes them to
// generated/verifier/bpf_helper_defs.txt and generated/verifier/ebpf_nethooks.txt (one
// per spec), and `cargo nethooks verify` sends both on stdin (`--tables -`, see
// cargo-nethooks/src/verify/driver.rs), so a spec change needs no rebuild of this driver.
//
// Usage: nethooks-verifier --tables FILE|- OBJECT...
// Prints one tab-separated record per program (see print_record) and exits 0 when
// every program passes, 1 when one is refused or an object cannot be read, 2 on a
// bad command line or table file.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ebpf_verifier.hpp"

using namespace prevail;

namespace {

struct ProgramTypeRow {
    std::string name;
    uint64_t number{};
    ebpf_ctx_descriptor_t context{};
    std::vector<std::string> prefixes;
    bool privileged{};
};

struct HelperRow {
    std::string program_type; // "*" for a general helper
    std::string name;
    ebpf_return_type_t returns{};
    ebpf_argument_type_t args[5]{};
};

struct Tables {
    std::vector<ProgramTypeRow> program_types;
    std::map<int32_t, std::vector<HelperRow>> helpers; // by id; general rows first
    std::map<uint32_t, EbpfMapType> map_types;
};

Tables g_tables;
// Per map fd: the record's inner map index, its id and its inner map's id, kept from
// parse_maps to resolve_inner_maps.
std::map<int, std::array<uint32_t, 3>> g_inner_refs;
// A section no prefix matches gets this type, which verification then refuses as
// eBPF for Windows does (efW libs/api_common/api_common.cpp:221-223).
const ebpf_ctx_descriptor_t g_unspec_context{0, -1, -1, -1};

const std::map<std::string, int> g_kind_values = {
    {"EBPF_RETURN_TYPE_INTEGER", EBPF_RETURN_TYPE_INTEGER},
    {"EBPF_RETURN_TYPE_PTR_TO_MAP_VALUE_OR_NULL", EBPF_RETURN_TYPE_PTR_TO_MAP_VALUE_OR_NULL},
    {"EBPF_RETURN_TYPE_INTEGER_OR_NO_RETURN_IF_SUCCEED", EBPF_RETURN_TYPE_INTEGER_OR_NO_RETURN_IF_SUCCEED},
    {"EBPF_ARGUMENT_TYPE_ANYTHING", EBPF_ARGUMENT_TYPE_ANYTHING},
    {"EBPF_ARGUMENT_TYPE_CONST_SIZE", EBPF_ARGUMENT_TYPE_CONST_SIZE},
    {"EBPF_ARGUMENT_TYPE_CONST_SIZE_OR_ZERO", EBPF_ARGUMENT_TYPE_CONST_SIZE_OR_ZERO},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_CTX", EBPF_ARGUMENT_TYPE_PTR_TO_CTX},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_MAP", EBPF_ARGUMENT_TYPE_PTR_TO_MAP},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_MAP_OF_PROGRAMS", EBPF_ARGUMENT_TYPE_PTR_TO_MAP_OF_PROGRAMS},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_MAP_KEY", EBPF_ARGUMENT_TYPE_PTR_TO_MAP_KEY},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_MAP_VALUE", EBPF_ARGUMENT_TYPE_PTR_TO_MAP_VALUE},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM", EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM_OR_NULL", EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM_OR_NULL},
    {"EBPF_ARGUMENT_TYPE_PTR_TO_WRITABLE_MEM", EBPF_ARGUMENT_TYPE_PTR_TO_WRITABLE_MEM},
};

int kind_value(const std::string& word, const std::string& where) {
    const auto found = g_kind_values.find(word);
    if (found == g_kind_values.end()) {
        throw std::runtime_error(where + ": unknown kind `" + word + "`");
    }
    return found->second;
}

// One row per line, words separated by spaces; `#` starts a comment line. The rows:
//   program_type NAME NUMBER CTX_SIZE DATA END META PRIVILEGED PREFIX...
//   helper PROGRAM_TYPE|* ID NAME RETURN_KIND [ARGUMENT_KIND...]
//   map_type ID NAME IS_ARRAY ANY|MAP|PROGRAM
Tables read_tables(std::istream& in) {
    Tables tables;
    std::string line;
    for (int number = 1; std::getline(in, line); number++) {
        std::istringstream words{line};
        std::string row;
        if (!(words >> row) || row[0] == '#') {
            continue;
        }
        const std::string where = "line " + std::to_string(number);
        if (row == "program_type") {
            ProgramTypeRow type;
            int privileged = 0;
            words >> type.name >> type.number >> type.context.size >> type.context.data >> type.context.end >>
                type.context.meta >> privileged;
            for (std::string prefix; words >> prefix;) {
                type.prefixes.push_back(prefix);
            }
            if (!words.eof() || type.prefixes.empty()) {
                throw std::runtime_error(where + ": malformed program_type row");
            }
            type.privileged = privileged != 0;
            tables.program_types.push_back(type);
        } else if (row == "helper") {
            HelperRow helper;
            int32_t id = 0;
            std::string returns;
            if (!(words >> helper.program_type >> id >> helper.name >> returns)) {
                throw std::runtime_error(where + ": malformed helper row");
            }
            helper.returns = static_cast<ebpf_return_type_t>(kind_value(returns, where));
            int arg = 0;
            for (std::string kind; words >> kind; arg++) {
                if (arg == 5) {
                    throw std::runtime_error(where + ": more than five arguments");
                }
                helper.args[arg] = static_cast<ebpf_argument_type_t>(kind_value(kind, where));
            }
            auto& rows = tables.helpers[id];
            // General rows come first, as eBPF for Windows merges them
        // (efW libs/api_common/windows_platform_common.cpp:515-612).
            rows.insert(helper.program_type == "*" ? rows.begin() : rows.end(), helper);
        } else if (row == "map_type") {
            EbpfMapType type{};
            std::string value_type;
            int is_array = 0;
            if (!(words >> type.platform_specific_type >> type.name >> is_array >> value_type)) {
                throw std::runtime_error(where + ": malformed map_type row");
            }
            type.is_array = is_array != 0;
            type.value_type = value_type == "MAP"       ? EbpfMapValueType::MAP
                              : value_type == "PROGRAM" ? EbpfMapValueType::PROGRAM
                                                        : EbpfMapValueType::ANY;
            tables.map_types[type.platform_specific_type] = type;
        } else {
            throw std::runtime_error(where + ": unknown row `" + row + "`");
        }
    }
    if (tables.program_types.empty() || tables.helpers.empty() || !tables.map_types.contains(0)) {
        throw std::runtime_error("the tables need program types, helpers and map type 0");
    }
    return tables;
}

// The longest matching prefix wins; on a tie, the first type listed
// (efW libs/api_common/windows_platform_common.cpp:288-309).
EbpfProgramType program_type_of(const std::string& section, const std::string&) {
    const ProgramTypeRow* best = nullptr;
    size_t best_length = 0;
    for (const auto& type : g_tables.program_types) {
        for (const auto& prefix : type.prefixes) {
            if (section.starts_with(prefix) && prefix.size() > best_length) {
                best = &type;
                best_length = prefix.size();
            }
        }
    }
    if (best == nullptr) {
        return EbpfProgramType{.name = "unspec", .ctx_descriptor = &g_unspec_context};
    }
    return EbpfProgramType{.name = best->name,
                           .ctx_descriptor = &best->context,
                           .platform_specific_data = best->number,
                           .section_prefixes = best->prefixes,
                           .is_privileged = best->privileged};
}

const HelperRow* find_helper(int32_t id, const EbpfProgramType& type) {
    const auto rows = g_tables.helpers.find(id);
    if (rows == g_tables.helpers.end()) {
        return nullptr;
    }
    for (const auto& row : rows->second) {
        if (row.program_type == "*" || row.program_type == type.name) {
            return &row;
        }
    }
    return nullptr;
}

bool is_helper_usable(int32_t id, const EbpfProgramType& type) { return find_helper(id, type) != nullptr; }

// eBPF for Windows throws here, and the exception ends the program's verification
// with this text (efW libs/api_common/windows_helpers.cpp:55-63).
EbpfHelperPrototype helper_prototype(int32_t id, const EbpfProgramType& type) {
    if (id < 0) {
        throw std::runtime_error("helper ID is negative: " + std::to_string(id));
    }
    const HelperRow* row = find_helper(id, type);
    if (row == nullptr) {
        throw std::runtime_error("helper prototype not found: " + std::to_string(id));
    }
    EbpfHelperPrototype prototype{.name = row->name.c_str(), .return_type = row->returns};
    std::memcpy(prototype.argument_type, row->args, sizeof row->args);
    prototype.ctx_descriptor = type.ctx_descriptor;
    return prototype;
}

EbpfMapType map_type_of(uint32_t platform_type) {
    const auto found = g_tables.map_types.find(platform_type);
    return found == g_tables.map_types.end() ? g_tables.map_types.at(0) : found->second;
}

// Legacy `maps` records, 32 bytes each: type, key size, value size, max entries,
// inner map index, pinning, id, inner id (u32 each). Record i gets fd i + 1
// (efW include/ebpf_structs.h:125-145, libs/api/windows_platform.cpp:22-98).
void parse_maps(std::vector<EbpfMapDescriptor>& descriptors, const char* data, size_t record_size, int count,
                const ebpf_platform_t*, const VerifierOptions&) {
    const size_t first = descriptors.size();
    for (int i = 0; i < count; i++) {
        uint32_t fields[8]{};
        std::memcpy(fields, data + i * record_size, std::min(record_size, sizeof fields));
        descriptors.push_back(EbpfMapDescriptor{.original_fd = static_cast<int>(first + i + 1),
                                                .type = fields[0],
                                                .key_size = fields[1],
                                                .value_size = fields[2],
                                                .max_entries = fields[3],
                                                .inner_map_fd = -1});
        g_inner_refs[descriptors.back().original_fd] = {fields[4], fields[6], fields[7]};
    }
}

// A map of maps names its inner template by id when it has one, else by index.
void resolve_inner_maps(std::vector<EbpfMapDescriptor>& descriptors) {
    auto ids_of = [](const EbpfMapDescriptor& map) { return g_inner_refs[map.original_fd]; };
    for (auto& map : descriptors) {
        if (map_type_of(map.type).value_type != EbpfMapValueType::MAP) {
            continue;
        }
        const auto [index, id, inner_id] = ids_of(map);
        int inner = -1;
        for (size_t i = 0; i < descriptors.size(); i++) {
            if (inner_id != 0 ? ids_of(descriptors[i])[1] == inner_id : i == index) {
                inner = static_cast<int>(i);
            }
        }
        if (inner < 0) {
            throw std::runtime_error("bad inner map (index " + std::to_string(index) + " id " +
                                     std::to_string(inner_id) + ") for map " + std::to_string(map.original_fd));
        }
        map.inner_map_fd = descriptors[inner].original_fd;
        descriptors[inner].is_inner_map_template = true;
    }
}

const EbpfMapDescriptor& map_descriptor(int fd, const std::vector<EbpfMapDescriptor>& descriptors) {
    for (const auto& map : descriptors) {
        if (map.original_fd == fd) {
            return map;
        }
    }
    throw std::runtime_error("map descriptor not found for fd " + std::to_string(fd));
}

const ebpf_platform_t g_platform = {
    .get_program_type = program_type_of,
    .get_helper_prototype = helper_prototype,
    .is_helper_usable = is_helper_usable,
    .resolve_builtin_call = [](const std::string&) -> std::optional<int32_t> { return {}; },
    .resolve_ksym_btf_id = [](const std::string&) -> std::optional<KsymBtfId> { return {}; },
    .get_builtin_call = [](int32_t) -> std::optional<ResolvedCall> { return {}; },
    .resolve_kfunc_call = [](int32_t, int16_t, const EbpfProgramType&, std::string*) -> std::optional<ResolvedCall> {
        return {};
    },
    .map_record_size = 32,
    .parse_maps_section = parse_maps,
    .get_map_descriptor = map_descriptor,
    .get_map_type = map_type_of,
    .resolve_inner_map_references = resolve_inner_maps,
    .supported_conformance_groups = bpf_conformance_groups_t::default_groups,
};

// eBPF for Windows' options (efW libs/api_common/api_common.cpp:261-279).
VerifierOptions efw_options() {
    VerifierOptions options;
    options.runtime.check_for_termination = true;
    options.must_have_exit = true;
    options.mock_map_fds = true;
    options.verbosity_opts.print_line_info = true;
    return options;
}

std::string clean(std::string text) {
    for (char& c : text) {
        if (c == '\t' || c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

struct Outcome {
    bool passed{};
    int pc = -1; // instruction index of the error, -1 when none
    std::string message;
    btf_line_info_t line;
    int loop_bound{};
};

// Records (tab-separated, one line each):
//   pass OBJECT SECTION FUNCTION INSTRUCTIONS MICROSECONDS LOOP_BOUND
//   fail OBJECT SECTION FUNCTION INSTRUCTIONS MICROSECONDS PC MESSAGE FILE LINE SOURCE
//   error OBJECT MESSAGE       (the object could not be read)
Outcome verify_program(const RawProgram& raw, const VerifierOptions& options) {
    if (raw.info.type.name == "unspec") {
        return {.message = "Unspecified program type."};
    }
    ThreadLocalGuard guard;
    try {
        auto sequence = unmarshal(raw, options);
        if (const auto* failure = std::get_if<std::string>(&sequence)) {
            return {.message = "parse failure: " + *failure};
        }
        const AnalysisContext context{
            Program::from_sequence(std::get<InstructionSeq>(sequence), raw.info, options), options};
        const AnalysisResult result = analyze(context);
        Outcome outcome{.passed = !result.failed, .loop_bound = result.max_loop_count};
        if (const auto error = result.find_first_error()) {
            outcome.message = error->message;
            if (error->where) {
                outcome.pc = error->where->from;
                if (const auto found = raw.info.line_info.find(outcome.pc); found != raw.info.line_info.end()) {
                    outcome.line = found->second;
                }
            }
        } else if (result.failed) {
            outcome.message = "verification failed";
        }
        return outcome;
    } catch (const std::exception& e) {
        return {.message = e.what()};
    }
}

} // namespace

int main(int argc, char** argv) {
    std::string tables_path;
    std::vector<std::string> objects;
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        if (arg == "--tables" && i + 1 < argc) {
            tables_path = argv[++i];
        } else if (arg == "--version") {
            std::cout << "nethooks-verifier (PREVAIL 67b6d03)\n";
            return 0;
        } else {
            objects.push_back(arg);
        }
    }
    if (tables_path.empty() || objects.empty()) {
        std::cerr << "usage: nethooks-verifier --tables FILE|- OBJECT...\n";
        return 2;
    }
    try {
        if (tables_path == "-") {
            g_tables = read_tables(std::cin);
        } else {
            std::ifstream file{tables_path};
            if (!file) {
                throw std::runtime_error("cannot open " + tables_path);
            }
            g_tables = read_tables(file);
        }
    } catch (const std::exception& e) {
        std::cerr << "nethooks-verifier: tables: " << e.what() << "\n";
        return 2;
    }

    const VerifierOptions options = efw_options();
    bool all_passed = true;
    for (const auto& object : objects) {
        g_inner_refs.clear();
        std::vector<ElfProgramInfo> listed;
        std::optional<ElfObject> elf;
        try {
            elf.emplace(object, options, &g_platform);
            listed = elf->list_programs();
            if (listed.empty()) {
                throw std::runtime_error("No executable sections");
            }
        } catch (const std::exception& e) {
            std::cout << "error\t" << clean(object) << "\t" << clean(e.what()) << "\n";
            all_passed = false;
            continue;
        }
        // Section by section, as eBPF for Windows asks for each program: a section
        // that cannot be loaded (a bad call target) fails its programs, not the object.
        std::vector<std::string> sections;
        for (const auto& info : listed) {
            if (std::find(sections.begin(), sections.end(), info.section_name) == sections.end()) {
                sections.push_back(info.section_name);
            }
        }
        for (const auto& section : sections) {
            // Functions in `.text` are subprograms, verified within their callers,
            // unless the object has nothing else (efW libs/ebpfnetsh/elf.cpp:398-401).
            if (section == ".text" && listed.size() > 1) {
                continue;
            }
            std::vector<RawProgram> programs;
            std::string load_error;
            try {
                programs = elf->get_programs(section);
            } catch (const std::exception& e) {
                load_error = e.what();
            }
            if (!load_error.empty()) {
                all_passed = false;
                for (const auto& info : listed) {
                    if (info.section_name == section) {
                        std::cout << "fail\t" << clean(object) << "\t" << clean(section) << "\t"
                                  << clean(info.function_name) << "\t0\t0\t-1\t" << clean(load_error)
                                  << "\t\t0\t\n";
                    }
                }
                continue;
            }
            for (const auto& raw : programs) {
                const auto start = std::chrono::steady_clock::now();
                const Outcome outcome = verify_program(raw, options);
                const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count();
                std::cout << (outcome.passed ? "pass" : "fail") << "\t" << clean(object) << "\t"
                          << clean(raw.section_name) << "\t" << clean(raw.function_name) << "\t"
                          << raw.prog.size() << "\t" << micros;
                if (outcome.passed) {
                    std::cout << "\t" << outcome.loop_bound << "\n";
                } else {
                    all_passed = false;
                    std::cout << "\t" << outcome.pc << "\t" << clean(outcome.message) << "\t"
                              << clean(outcome.line.file_name) << "\t" << outcome.line.line_number << "\t"
                              << clean(outcome.line.source_line) << "\n";
                }
            }
        }
    }
    return all_passed ? 0 : 1;
}
