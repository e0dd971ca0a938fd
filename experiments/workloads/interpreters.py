"""What runs inside a subinterpreter (X02): the trampoline that calls a workload there, and who is running it.

`Interpreter.call(fn, ...)` of the backport (and, on 3.14, possibly of the standard library) runs `fn`'s code in
the subinterpreter's `__main__`, not in the module that defined it, so a workload's module globals would be missing
there. The trampoline below refers to nothing of this module: it imports what it needs inside, unpickles the task
(which imports the workload's module in that interpreter, by name) and hands the result back pickled, as bytes, which
cross every interpreter boundary. Standard library only, imported lazily: the subinterpreter imports this module
too when `call` pickles functions by reference.
"""


def call_pickled(task):
    """Run the pickled `(fn, args)` here: returns `fn(*args)` pickled."""
    import pickle

    fn, args = pickle.loads(task)
    return pickle.dumps(fn(*args))


def interpreter_id():
    """The id of the interpreter this runs in (the main one's is 0)."""
    try:
        from concurrent import interpreters
    except ImportError:
        from backports import interpreters
    return interpreters.get_current().id


def marks_seen():
    """What this interpreter's copy of experiments.workloads.sharing holds in its module global MARKS."""
    from experiments.workloads import sharing

    return list(sharing.MARKS)
