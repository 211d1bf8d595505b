/*
 * modelbench bench: the OpenBLAS SGEMM reference. Compiled by the bench into its cache
 * (gcc -O2 openblas_probe.c -lopenblas) and run once per round:
 *
 *   openblas_probe M N K THREADS SECONDS
 *
 * C = A * B on row-major M x K and K x N matrices (cblas_sgemm, no transposes), one call to warm
 * up, then calls until SECONDS have passed. Prints one line of JSON:
 *   {"config": "...", "core": "...", "threads": T, "calls": C, "seconds": S, "gflops": G}
 * The prototypes are declared here (OpenBLAS's own symbols) so that no cblas.h is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111 };
void cblas_sgemm(int order, int transa, int transb, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void openblas_set_num_threads(int threads);
char *openblas_get_config(void);
char *openblas_get_corename(void);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: openblas_probe M N K THREADS SECONDS\n");
        return 2;
    }
    int m = atoi(argv[1]), n = atoi(argv[2]), k = atoi(argv[3]), threads = atoi(argv[4]);
    double seconds = atof(argv[5]);
    if (m <= 0 || n <= 0 || k <= 0 || threads <= 0 || !(seconds > 0)) {
        fprintf(stderr, "openblas_probe: M, N, K, THREADS and SECONDS must be positive\n");
        return 2;
    }
    float *a = malloc(sizeof(float) * (size_t) m * k);
    float *b = malloc(sizeof(float) * (size_t) k * n);
    float *c = malloc(sizeof(float) * (size_t) m * n);
    if (!a || !b || !c) {
        fprintf(stderr, "openblas_probe: out of memory\n");
        return 1;
    }
    unsigned s = 42;
    for (size_t i = 0; i < (size_t) m * k; i++) { s = s * 1664525u + 1013904223u; a[i] = (s >> 8) * (1.0f / 16777216.0f) - 0.5f; }
    for (size_t i = 0; i < (size_t) k * n; i++) { s = s * 1664525u + 1013904223u; b[i] = (s >> 8) * (1.0f / 16777216.0f) - 0.5f; }
    openblas_set_num_threads(threads);
    cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
    long calls = 0;
    double start = now(), elapsed;
    do {
        cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
        calls++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    double gflops = 2.0 * m * n * (double) k * calls / elapsed / 1e9;
    const char *config = openblas_get_config();
    const char *core = openblas_get_corename();
    printf("{\"config\": \"%s\", \"core\": \"%s\", \"threads\": %d, \"calls\": %ld, \"seconds\": %.6f, \"gflops\": %.3f}\n",
           config ? config : "", core ? core : "", threads, calls, elapsed, gflops);
    free(a); free(b); free(c);
    return 0;
}
