fn main() {
    tool_common::run_main(tool_grep::FIELDS, tool_grep::run)
}
