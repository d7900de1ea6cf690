# The traceback module docs' first example, "a simple 'read-eval-print' loop":
# https://docs.python.org/3/library/traceback.html#examples-of-using-the-module-level-functions
# with print_exc() to its default file (sys.stderr), and a fixed list of inputs in place of input().
import sys, traceback

def run_user_code(envdir):
    source = sources.pop(0)
    try:
        exec(source, envdir)
    except Exception:
        print("Exception in user code:")
        print("-"*60)
        traceback.print_exc()
        print("-"*60)

sources = ["x = 1", "print(x)", "1/0", "print(undefined)"]
envdir = {}
while sources:
    run_user_code(envdir)
