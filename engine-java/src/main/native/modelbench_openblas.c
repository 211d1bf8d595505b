/*
 * modelbench engine-java: the JNI shim to OpenBLAS's cblas_sgemm behind
 * org.modelbench.engine.kernels.NativeBlas. Built by build.sh during the engine's Maven build
 * (gcc against the JDK's jni.h and -lopenblas) into the engine jar.
 *
 * The Java side validates every offset, length and stride before it calls in: this file trusts them.
 * The arrays are pinned with GetPrimitiveArrayCritical (no copy); nothing here calls back into Java
 * while they are held. OpenBLAS runs single-threaded (NativeBlas sets it once): the engine splits
 * products over its own threads, so that the bits never depend on the thread count.
 */
#include <jni.h>
#include <cblas.h>

/* OpenBLAS's own symbols (declared in its cblas.h too; repeated so that another cblas.h also works). */
extern void openblas_set_num_threads(int threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);

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
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1.0f, pa + aOff, lda, pb + bOff, ldb, accumulate ? 1.0f : 0.0f, pc + cOff, ldc);
    /* A and B were only read: JNI_ABORT (no copy back, should the JVM have copied them) */
    (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
}

JNIEXPORT jstring JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeConfig(JNIEnv *env, jclass cls) {
    (void) cls;
    const char *config = openblas_get_config();
    return (*env)->NewStringUTF(env, config ? config : "");
}

JNIEXPORT jstring JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeCore(JNIEnv *env, jclass cls) {
    (void) cls;
    const char *core = openblas_get_corename();
    return (*env)->NewStringUTF(env, core ? core : "");
}

JNIEXPORT jint JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeMaxThreads(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return openblas_get_num_threads();
}

JNIEXPORT void JNICALL Java_org_modelbench_engine_kernels_NativeBlas_nativeSetThreads(JNIEnv *env, jclass cls,
                                                                                     jint threads) {
    (void) env;
    (void) cls;
    openblas_set_num_threads(threads);
}
