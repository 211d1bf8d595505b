/*
 * modelbench engine-java: the JNI shim to OpenBLAS's cblas_sgemm behind
 * org.modelbench.engine.kernels.NativeBlas. Built by build.sh during the engine's Maven build
 * (gcc against the JDK's jni.h and OpenBLAS's cblas.h) into the engine jar.
 *
 * OpenBLAS is opened with dlopen (nativeOpen), not linked: OpenBLAS picks its core kernel when it
 * loads, and on a CPU that OpenBLAS 0.3.21 does not know (an Emerald Rapids Xeon, family 6 model 207)
 * it falls back to its generic Prescott (SSE3) kernel, about a sixth of the speed of its AVX-512 one.
 * Opened here, the shim can see that fallback and open it again with OPENBLAS_CORETYPE set to the core
 * that the CPU's features allow (SkylakeX for AVX-512 F/CD/BW/DQ/VL, Haswell for AVX2 and FMA), the
 * rule newer OpenBLAS releases apply to CPUs they do not know. A core pinned with OPENBLAS_CORETYPE is
 * never overridden.
 *
 * The Java side validates every offset, length and stride before it calls in: this file trusts them.
 * The arrays are pinned with GetPrimitiveArrayCritical (no copy); nothing here calls back into Java
 * while they are held. OpenBLAS runs single-threaded (NativeBlas sets it once): the engine splits
 * products over its own threads, so that the bits never depend on the thread count.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <cblas.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OpenBLAS's entry points, bound by nativeOpen. */
static void *openblas;
static void (*blas_sgemm)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, blasint, blasint, blasint,
                          float, const float *, blasint, const float *, blasint, float, float *, blasint);
static void (*blas_set_num_threads)(int);
static int (*blas_get_num_threads)(void);
static char *(*blas_get_config)(void);
static char *(*blas_get_corename)(void);

/* Opens `library` and binds the entry points; NULL, or what failed (into `why`). */
static const char *bind(const char *library, char *why, size_t size) {
    openblas = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (openblas == NULL) {
        snprintf(why, size, "dlopen %s: %s", library, dlerror());
        return why;
    }
    *(void **) &blas_sgemm = dlsym(openblas, "cblas_sgemm");
    *(void **) &blas_set_num_threads = dlsym(openblas, "openblas_set_num_threads");
    *(void **) &blas_get_num_threads = dlsym(openblas, "openblas_get_num_threads");
    *(void **) &blas_get_config = dlsym(openblas, "openblas_get_config");
    *(void **) &blas_get_corename = dlsym(openblas, "openblas_get_corename");
    if (!blas_sgemm || !blas_set_num_threads || !blas_get_num_threads || !blas_get_config || !blas_get_corename) {
        snprintf(why, size, "%s lacks cblas_sgemm or the openblas_* functions (is it OpenBLAS?)", library);
        dlclose(openblas);
        openblas = NULL;
        return why;
    }
    return NULL;
}

/* The core OpenBLAS should run by the CPU's features, for a CPU it does not know; NULL for none better. */
static const char *coreByFeatures(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
        return "SkylakeX";
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        return "Haswell";
    }
    return NULL;
}

/*
 * Opens OpenBLAS from `library` (e.g. libopenblas.so.0). Returns "" when OpenBLAS chose its core itself (or
 * OPENBLAS_CORETYPE pinned it), "core:<name>" when OpenBLAS fell back to Prescott on a CPU it does not know
 * and the shim opened it again with the core <name> (see the top of this file), or "error:<why>".
 */
JNIEXPORT jstring JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeOpen(JNIEnv *env, jclass cls,
                                                                                  jstring library) {
    (void) cls;
    char why[512];
    char result[600];
    const char *name = (*env)->GetStringUTFChars(env, library, NULL);
    if (name == NULL) {
        return NULL; /* OutOfMemoryError pending */
    }
    const char *failed = openblas != NULL ? NULL : bind(name, why, sizeof why);
    result[0] = 0;
    if (failed != NULL) {
        snprintf(result, sizeof result, "error:%s", failed);
    } else if (getenv("OPENBLAS_CORETYPE") == NULL && strcmp(blas_get_corename(), "Prescott") == 0) {
        const char *core = coreByFeatures();
        if (core != NULL) {
            dlclose(openblas);
            openblas = NULL;
            setenv("OPENBLAS_CORETYPE", core, 1);
            failed = bind(name, why, sizeof why);
            unsetenv("OPENBLAS_CORETYPE");
            if (failed != NULL) {
                snprintf(result, sizeof result, "error:%s", failed);
            } else {
                snprintf(result, sizeof result, "core:%s", core);
            }
        }
    }
    (*env)->ReleaseStringUTFChars(env, library, name);
    return (*env)->NewStringUTF(env, result);
}

JNIEXPORT void JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeSgemm(
        JNIEnv *env, jclass cls, jboolean transA, jboolean transB, jint m, jint n, jint k,
        jfloatArray a, jint aOff, jint lda, jfloatArray b, jint bOff, jint ldb,
        jfloatArray c, jint cOff, jint ldc, jboolean accumulate) {
    (void) cls;
    jfloat *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    if (pc == NULL) {
        return; /* OutOfMemoryError pending */
    }
    jfloat *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (pa == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, c, pc, JNI_ABORT);
        return;
    }
    jfloat *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (pb == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
        (*env)->ReleasePrimitiveArrayCritical(env, c, pc, JNI_ABORT);
        return;
    }
    blas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1.0f, pa + aOff, lda, pb + bOff, ldb, accumulate ? 1.0f : 0.0f, pc + cOff, ldc);
    /* A and B were only read: JNI_ABORT (no copy back, should the JVM have copied them) */
    (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
}

JNIEXPORT jstring JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeConfig(JNIEnv *env, jclass cls) {
    (void) cls;
    const char *config = blas_get_config();
    return (*env)->NewStringUTF(env, config ? config : "");
}

JNIEXPORT jstring JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeCore(JNIEnv *env, jclass cls) {
    (void) cls;
    const char *core = blas_get_corename();
    return (*env)->NewStringUTF(env, core ? core : "");
}

JNIEXPORT jint JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeMaxThreads(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return blas_get_num_threads();
}

JNIEXPORT void JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeSetThreads(JNIEnv *env, jclass cls,
                                                                                     jint threads) {
    (void) env;
    (void) cls;
    blas_set_num_threads(threads);
}
