# Real Python's "An Intro to Threading in Python", the FakeDatabase whose update is protected by a Lock
# (https://realpython.com/intro-to-python-threading/#basic-synchronization-using-lock), as learners re-type
# it: print in place of the article's logging (the Lab shows what a program prints), the rest as written.
import concurrent.futures
import threading
import time


class FakeDatabase:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def locked_update(self, name):
        print(f"Thread {name}: starting update")
        with self._lock:
            local_copy = self.value
            local_copy += 1
            time.sleep(0.1)
            self.value = local_copy
        print(f"Thread {name}: finishing update")


if __name__ == "__main__":
    database = FakeDatabase()
    print(f"Testing update. Starting value is {database.value}.")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:
        for index in range(2):
            executor.submit(database.locked_update, index)
    print(f"Testing update. Ending value is {database.value}.")
