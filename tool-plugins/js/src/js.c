/*
 * js: runs JavaScript with Duktape (Debian's duktape-dev, ES5.1 with parts of ES2015+) inside the WASM sandbox.
 *
 * Input (stdin): {"code": "...", "args": {...}}. Output (stdout): {"stdout", "truncated", "result", "error"}:
 * what console.log wrote, whether that was cut at 256 KiB, the completion value of the code as JSON (null when it
 * has none or none that JSON can show), and the error the code threw as text (null when none). The code sees `args`,
 * `console` (log, info, warn, error, debug) and a small synchronous `fs` on the workspace (the sandbox's preopened
 * "/"): readFileSync, writeFileSync, appendFileSync, existsSync, readdirSync, mkdirSync, statSync. Writes fail
 * unless the tool's grant allows them; time, memory and output are limited by the sandbox. Bad input: exit 1 with
 * {"error": {"kind": "invalid_input", "message"}}.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "duktape.h"
#include "prelude.h" /* PRELUDE: src/prelude.js as a C string, made by build.sh */

#define MAX_INPUT (1u << 20)
#define MAX_STDOUT (256u << 10)
#define MAX_FILE (16u << 20)
#define MAX_PATH 4096

static char out[MAX_STDOUT];
static size_t out_len;
static int out_truncated;

static void out_append(const char *text, size_t len) {
    if (out_truncated) {
        return;
    }
    if (out_len + len > MAX_STDOUT) {
        len = MAX_STDOUT - out_len;
        out_truncated = 1;
    }
    memcpy(out + out_len, text, len);
    out_len += len;
}

static duk_ret_t json_encode_top(duk_context *ctx, void *udata) {
    (void) udata;
    duk_json_encode(ctx, -1);
    return 1;
}

/* The value at idx as console.log shows it: strings as they are, objects and arrays as JSON, the rest as String(x). */
static const char *shown(duk_context *ctx, duk_idx_t idx, duk_size_t *len) {
    if (duk_is_object(ctx, idx) && !duk_is_function(ctx, idx) && !duk_is_error(ctx, idx)) {
        duk_dup(ctx, idx);
        if (duk_safe_call(ctx, json_encode_top, NULL, 1, 1) == DUK_EXEC_SUCCESS && duk_is_string(ctx, -1)) {
            duk_replace(ctx, idx);
        } else {
            duk_pop(ctx);
        }
    }
    return duk_safe_to_lstring(ctx, idx, len);
}

static duk_ret_t console_log(duk_context *ctx) {
    duk_idx_t n = duk_get_top(ctx);
    for (duk_idx_t i = 0; i < n; i++) {
        duk_size_t len;
        const char *text = shown(ctx, i, &len);
        if (i > 0) {
            out_append(" ", 1);
        }
        out_append(text, len);
    }
    out_append("\n", 1);
    return 0;
}

/* A workspace path as the guest sees it: relative to the workspace root "/", which is also where "/x" points. */
static const char *guest_path(duk_context *ctx, duk_idx_t idx, char *buffer) {
    const char *path = duk_require_string(ctx, idx);
    while (*path == '/') {
        path++;
    }
    if (strlen(path) + 2 > MAX_PATH) {
        (void) duk_error(ctx, DUK_ERR_RANGE_ERROR, "path too long");
    }
    snprintf(buffer, MAX_PATH, "/%s", *path ? path : ".");
    return path;
}

static duk_ret_t fs_failed(duk_context *ctx, const char *operation, const char *path) {
    int code = errno;
    const char *name = code == ENOENT ? "ENOENT" : code == EACCES ? "EACCES" : code == EPERM ? "EPERM"
            : code == EROFS ? "EROFS" : code == EEXIST ? "EEXIST" : code == ENOTDIR ? "ENOTDIR"
            : code == EISDIR ? "EISDIR" : code == ENOTCAPABLE ? "ENOTCAPABLE" : "EIO";
    return duk_error(ctx, DUK_ERR_ERROR, "%s: %s, %s '%s'", name, strerror(code), operation, path);
}

static duk_ret_t fs_read(duk_context *ctx) {
    char full[MAX_PATH];
    const char *path = guest_path(ctx, 0, full);
    FILE *file = fopen(full, "rb");
    if (file == NULL) {
        return fs_failed(ctx, "open", path);
    }
    size_t size = 0, capacity = 65536;
    char *data = malloc(capacity);
    for (size_t n; data != NULL && (n = fread(data + size, 1, capacity - size, file)) > 0; ) {
        size += n;
        if (size == capacity) {
            if (capacity >= MAX_FILE) {
                free(data);
                fclose(file);
                return duk_error(ctx, DUK_ERR_RANGE_ERROR, "'%s' is larger than %u MiB", path, MAX_FILE >> 20);
            }
            char *grown = realloc(data, capacity * 2);
            if (grown == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            capacity *= 2;
        }
    }
    int failed = ferror(file);
    fclose(file);
    if (data == NULL) {
        return duk_error(ctx, DUK_ERR_RANGE_ERROR, "out of memory reading '%s'", path);
    }
    if (failed) {
        free(data);
        return fs_failed(ctx, "read", path);
    }
    duk_push_lstring(ctx, data, size);
    free(data);
    return 1;
}

static duk_ret_t fs_write_mode(duk_context *ctx, const char *mode) {
    char full[MAX_PATH];
    const char *path = guest_path(ctx, 0, full);
    duk_size_t len;
    const char *data = duk_is_string(ctx, 1) ? duk_get_lstring(ctx, 1, &len) : shown(ctx, 1, &len);
    FILE *file = fopen(full, mode);
    if (file == NULL) {
        return fs_failed(ctx, "open", path);
    }
    size_t written = fwrite(data, 1, len, file);
    if (fclose(file) != 0 || written != len) {
        return fs_failed(ctx, "write", path);
    }
    return 0;
}

static duk_ret_t fs_write(duk_context *ctx) {
    return fs_write_mode(ctx, "wb");
}

static duk_ret_t fs_append(duk_context *ctx) {
    return fs_write_mode(ctx, "ab");
}

static duk_ret_t fs_exists(duk_context *ctx) {
    char full[MAX_PATH];
    struct stat info;
    guest_path(ctx, 0, full);
    duk_push_boolean(ctx, stat(full, &info) == 0);
    return 1;
}

static duk_ret_t fs_stat(duk_context *ctx) {
    char full[MAX_PATH];
    struct stat info;
    const char *path = guest_path(ctx, 0, full);
    if (stat(full, &info) != 0) {
        return fs_failed(ctx, "stat", path);
    }
    duk_push_object(ctx);
    duk_push_number(ctx, (double) info.st_size);
    duk_put_prop_string(ctx, -2, "size");
    duk_push_boolean(ctx, S_ISDIR(info.st_mode));
    duk_put_prop_string(ctx, -2, "isDirectory");
    duk_push_boolean(ctx, S_ISREG(info.st_mode));
    duk_put_prop_string(ctx, -2, "isFile");
    duk_push_number(ctx, (double) info.st_mtim.tv_sec * 1000.0 + info.st_mtim.tv_nsec / 1000000);
    duk_put_prop_string(ctx, -2, "mtimeMs");
    return 1;
}

static duk_ret_t fs_readdir(duk_context *ctx) {
    char full[MAX_PATH];
    const char *path = guest_path(ctx, 0, full);
    DIR *dir = opendir(full);
    if (dir == NULL) {
        return fs_failed(ctx, "scandir", path);
    }
    duk_push_array(ctx);
    duk_uarridx_t count = 0;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL; ) {
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
            duk_push_string(ctx, entry->d_name);
            duk_put_prop_index(ctx, -2, count++);
        }
    }
    closedir(dir);
    /* sorted, as a listing should be (readdir's order is the filesystem's) */
    duk_push_string(ctx, "sort");
    duk_call_prop(ctx, -2, 0);
    return 1;
}

static duk_ret_t fs_mkdir(duk_context *ctx) {
    char full[MAX_PATH];
    const char *path = guest_path(ctx, 0, full);
    if (mkdir(full, 0777) != 0 && !(errno == EEXIST && duk_get_boolean_default(ctx, 1, 0))) {
        return fs_failed(ctx, "mkdir", path);
    }
    return 0;
}

static void put_function(duk_context *ctx, const char *name, duk_c_function function, duk_idx_t nargs) {
    duk_push_c_function(ctx, function, nargs);
    duk_put_prop_string(ctx, -2, name);
}

static void install_globals(duk_context *ctx) {
    duk_push_global_object(ctx);
    duk_push_object(ctx);
    static const char *const levels[] = {"log", "info", "warn", "error", "debug"};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        put_function(ctx, levels[i], console_log, DUK_VARARGS);
    }
    duk_put_prop_string(ctx, -2, "console");
    duk_push_object(ctx);
    put_function(ctx, "readFileSync", fs_read, 2);
    put_function(ctx, "writeFileSync", fs_write, 2);
    put_function(ctx, "appendFileSync", fs_append, 2);
    put_function(ctx, "existsSync", fs_exists, 1);
    put_function(ctx, "statSync", fs_stat, 1);
    put_function(ctx, "readdirSync", fs_readdir, 1);
    put_function(ctx, "mkdirSync", fs_mkdir, 2);
    duk_put_prop_string(ctx, -2, "fs");
    duk_pop(ctx);
}

static void print_json(duk_context *ctx) {
    fputs(duk_json_encode(ctx, -1), stdout);
    fputc('\n', stdout);
}

static int invalid(duk_context *ctx, const char *message) {
    duk_push_object(ctx);
    duk_push_object(ctx);
    duk_push_string(ctx, "invalid_input");
    duk_put_prop_string(ctx, -2, "kind");
    duk_push_string(ctx, message);
    duk_put_prop_string(ctx, -2, "message");
    duk_put_prop_string(ctx, -2, "error");
    print_json(ctx);
    fprintf(stderr, "invalid_input: %s\n", message);
    return 1;
}

static duk_ret_t decode_input(duk_context *ctx, void *udata) {
    (void) udata;
    duk_json_decode(ctx, -1);
    return 1;
}

/* The error the code threw, as text: "TypeError: message (line N)". */
static void push_error_text(duk_context *ctx) {
    if (duk_is_error(ctx, -1)) {
        /* The line in the code; an error raised by fs or the engine itself carries the line of its C source. */
        duk_get_prop_string(ctx, -1, "fileName");
        int ours = duk_is_string(ctx, -1) && strcmp(duk_get_string(ctx, -1), "code") == 0;
        duk_pop(ctx);
        duk_get_prop_string(ctx, -1, "lineNumber");
        if (ours && duk_is_number(ctx, -1)) {
            int line = duk_get_int(ctx, -1);
            duk_pop(ctx);
            duk_push_sprintf(ctx, "%s (line %d)", duk_safe_to_string(ctx, -1), line);
            return;
        }
        duk_pop(ctx);
    }
    duk_push_string(ctx, duk_safe_to_string(ctx, -1));
}

int sjlj_main(void) {
    static char input[MAX_INPUT + 1];
    size_t n = fread(input, 1, sizeof input, stdin);
    duk_context *ctx = duk_create_heap_default();
    if (ctx == NULL) {
        fputs("js: could not create the JavaScript heap\n", stderr);
        return 2;
    }
    if (n > MAX_INPUT) {
        return invalid(ctx, "the input is larger than 1 MiB");
    }
    duk_push_lstring(ctx, input, n);
    if (duk_safe_call(ctx, decode_input, NULL, 1, 1) != DUK_EXEC_SUCCESS || !duk_is_object(ctx, -1)
            || duk_is_array(ctx, -1)) {
        return invalid(ctx, "the input must be a JSON object {\"code\": \"...\", \"args\": {...}}");
    }
    duk_idx_t request = duk_get_top_index(ctx);
    duk_enum(ctx, request, 0);
    while (duk_next(ctx, -1, 0)) {
        const char *key = duk_get_string(ctx, -1);
        if (strcmp(key, "code") != 0 && strcmp(key, "args") != 0) {
            duk_push_sprintf(ctx, "unknown field '%s' (expected code, args)", key);
            return invalid(ctx, duk_get_string(ctx, -1));
        }
        duk_pop(ctx);
    }
    duk_pop(ctx);
    if (!duk_get_prop_string(ctx, request, "code") || !duk_is_string(ctx, -1)) {
        return invalid(ctx, "field 'code' must be a string of JavaScript");
    }
    duk_pop(ctx);
    duk_get_prop_string(ctx, request, "args");
    if (!duk_is_undefined(ctx, -1) && !duk_is_null(ctx, -1) && (!duk_is_object(ctx, -1) || duk_is_array(ctx, -1))) {
        return invalid(ctx, "field 'args' must be an object");
    }
    if (duk_is_undefined(ctx, -1) || duk_is_null(ctx, -1)) {
        duk_pop(ctx);
        duk_push_object(ctx);
    }
    duk_put_global_string(ctx, "args");
    install_globals(ctx);
    duk_push_string(ctx, PRELUDE);
    duk_push_string(ctx, "prelude.js");
    if (duk_pcompile(ctx, DUK_COMPILE_EVAL) != 0 || duk_pcall(ctx, 0) != 0) {
        fprintf(stderr, "js: the prelude failed: %s\n", duk_safe_to_string(ctx, -1));
        return 2;
    }
    duk_pop(ctx);

    duk_get_prop_string(ctx, request, "code");
    duk_push_string(ctx, "code");
    int failed = duk_pcompile(ctx, DUK_COMPILE_EVAL) != 0 || duk_pcall(ctx, 0) != 0;

    duk_push_object(ctx); /* the result object */
    duk_idx_t result = duk_get_top_index(ctx);
    duk_push_lstring(ctx, out, out_len);
    duk_put_prop_string(ctx, result, "stdout");
    duk_push_boolean(ctx, out_truncated);
    duk_put_prop_string(ctx, result, "truncated");
    if (failed) {
        duk_push_null(ctx);
        duk_put_prop_string(ctx, result, "result");
        duk_dup(ctx, result - 1);
        push_error_text(ctx);
        duk_put_prop_string(ctx, result, "error");
        duk_pop(ctx);
    } else {
        duk_dup(ctx, result - 1);
        if (duk_safe_call(ctx, json_encode_top, NULL, 1, 1) == DUK_EXEC_SUCCESS && duk_is_string(ctx, -1)) {
            duk_json_decode(ctx, -1); /* the value as JSON has it: dates as strings, no functions */
        } else {
            duk_pop(ctx);
            duk_push_null(ctx);
        }
        duk_put_prop_string(ctx, result, "result");
        duk_push_null(ctx);
        duk_put_prop_string(ctx, result, "error");
    }
    print_json(ctx);
    duk_destroy_heap(ctx);
    return 0;
}
