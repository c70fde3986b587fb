fn main() {
    tool_common::run_main(tool_shell::FIELDS, tool_shell::run)
}
