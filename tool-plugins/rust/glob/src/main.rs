fn main() {
    tool_common::run_main(tool_glob::FIELDS, tool_glob::run)
}
