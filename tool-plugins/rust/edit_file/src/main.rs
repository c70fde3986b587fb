fn main() {
    tool_common::run_main(tool_edit_file::FIELDS, tool_edit_file::run)
}
