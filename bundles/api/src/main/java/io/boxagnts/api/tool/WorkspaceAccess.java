package io.boxagnts.api.tool;

/** How much of the workspace a tool may see. */
public enum WorkspaceAccess {
    /** The tool sees no files at all. */
    NONE,
    /** The tool may read files and list directories. */
    READ,
    /** The tool may also create, change, rename and delete files inside the workspace. */
    WRITE
}
