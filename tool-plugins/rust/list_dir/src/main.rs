fn main() {
    tool_common::run_main(tool_list_dir::FIELDS, tool_list_dir::run)
}
