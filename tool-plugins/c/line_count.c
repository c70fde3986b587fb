/*
 * line_count: a BoxAgnts tool in C (Debian's clang + wasi-libc), the proof that the tool ABI is language-neutral.
 * Request on stdin: {"path":"notes.txt"}; result on stdout: {"path":"notes.txt","lines":2}; on failure
 * {"error":{"kind":"invalid_input"|"failed","message":"..."}} and exit status 1. The workspace is the guest's "/".
 * Build: clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--max-memory=16777216 -o line_count.wasm line_count.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes s as the inside of a JSON string (quotes and backslashes escaped, control characters dropped). */
static void json_text(const char *s) {
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            putchar('\\');
            putchar(*s);
        } else if ((unsigned char) *s >= 0x20) {
            putchar(*s);
        }
    }
}

static void fail(const char *kind, const char *message, const char *detail) {
    printf("{\"error\":{\"kind\":\"%s\",\"message\":\"", kind);
    json_text(message);
    if (detail) {
        json_text(detail);
    }
    printf("\"}}\n");
    exit(1);
}

/* The string value of "path" in a flat JSON object; no escapes in it (enough for a demonstration). */
static int path_of(const char *request, char *path, size_t size) {
    const char *key = strstr(request, "\"path\"");
    if (!key) return 0;
    const char *colon = strchr(key + 6, ':');
    if (!colon) return 0;
    const char *open = strchr(colon, '"');
    if (!open) return 0;
    const char *close = strchr(open + 1, '"');
    if (!close || (size_t) (close - open - 1) >= size || memchr(open + 1, '\\', close - open - 1)) return 0;
    memcpy(path, open + 1, close - open - 1);
    path[close - open - 1] = '\0';
    return 1;
}

int main(void) {
    static char request[65536];
    size_t n = fread(request, 1, sizeof request - 1, stdin);
    request[n] = '\0';
    char path[4096];
    if (!path_of(request, path, sizeof path)) {
        fail("invalid_input", "\"path\" (a file of the workspace, as a plain JSON string) is required", NULL);
    }
    FILE *file = fopen(path, "r");
    if (!file) {
        fail("failed", "cannot open the file: ", strerror(errno));
    }
    long lines = 0;
    int c, last = '\n';
    while ((c = fgetc(file)) != EOF) {
        if (c == '\n') lines++;
        last = c;
    }
    if (last != '\n') lines++;
    fclose(file);
    printf("{\"path\":\"");
    json_text(path);
    printf("\",\"lines\":%ld}\n", lines);
    return 0;
}
