fn main() {
    tool_common::run_main(tool_read_file::FIELDS, tool_read_file::run)
}
