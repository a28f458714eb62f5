// Checks packaging/compat/older-symbols.c the way scripts/package.sh links it (gold,
// --wrap): each wrapped function must reach the older version and return, and the program
// must reference no newer version. scripts/package.sh builds and runs this before the
// release build, under a timeout: a wrapper that calls itself loops forever.
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

int main() {
    volatile double a = 3, b = 4;
    volatile float c = 5, d = 12;
    std::mutex mutex;
    std::condition_variable condition;
    bool ready = false;
    std::thread notifier([&] {
        std::lock_guard<std::mutex> lock(mutex);
        ready = true;
        condition.notify_all();
    });
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (!ready) condition.wait(lock);
    }
    notifier.join();
    double x = std::hypot(a, b);
    float y = std::hypot(c, d);
    if (x != 5.0 || y != 13.0f) {
        std::fprintf(stderr, "hypot(3, 4) = %g, hypotf(5, 12) = %g\n", x, (double)y);
        return 1;
    }
    return 0;
}
