fn main() {
    tool_common::run_main(tool_write_file::FIELDS, tool_write_file::run)
}
