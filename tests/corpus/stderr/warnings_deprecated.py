# The warnings module docs' example function, from "Temporarily Suppressing Warnings":
# https://docs.python.org/3/library/warnings.html#temporarily-suppressing-warnings
# called without suppressing it (DeprecationWarning is shown by default in __main__, once per place),
# between prints.
import warnings

def fxn():
    warnings.warn("deprecated", DeprecationWarning)

print("before")
fxn()
print("between")
fxn()
print("after")
