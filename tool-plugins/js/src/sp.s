# The C shadow stack pointer, which Asyncify does not save: setjmp records it, a rewind puts it back.
	.globaltype __stack_pointer, i32

	.globl sjlj_get_sp
	.type sjlj_get_sp,@function
sjlj_get_sp:
	.functype sjlj_get_sp () -> (i32)
	global.get __stack_pointer
	end_function

	.globl sjlj_set_sp
	.type sjlj_set_sp,@function
sjlj_set_sp:
	.functype sjlj_set_sp (i32) -> ()
	local.get 0
	global.set __stack_pointer
	end_function
