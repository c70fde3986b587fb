/* setjmp/longjmp for wasm32-wasi without the exception-handling proposal: see sjlj.c. */
#ifndef BOXAGNTS_SETJMP_H
#define BOXAGNTS_SETJMP_H
typedef struct { int unused; } jmp_buf[1];
int setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int value) __attribute__((noreturn));
#endif
