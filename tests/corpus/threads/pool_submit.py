# concurrent.futures' documentation, ThreadPoolExecutor and Executor.submit
# (https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Executor.submit), unchanged but
# for the import the page's snippet leaves out.
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(max_workers=1) as executor:
    future = executor.submit(pow, 323, 1235)
    print(future.result())
