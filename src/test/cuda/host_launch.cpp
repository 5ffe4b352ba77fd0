// Runs the kernels of src/main/cuda/odestream.cu on the host, for tests on machines without a GPU: the CUDA source
// is compiled as C++ with the CUDA keywords defined away, one block after another, and each kernel gets its
// arguments the way cuLaunchKernel does (an array of pointers to the values). Kernels that synchronise their
// threads (the reductions) run each thread as a fiber that yields at __syncthreads; the others run their threads in
// order. Built by CudaSourceOnHostTest with g++ -std=c++20 -ffp-contract=off.
#include <math.h>
#include <ucontext.h>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>

struct Dim { unsigned x, y, z; };
static Dim threadIdx, blockIdx, blockDim;
static void __syncthreads();

#define __global__
#define __device__
#define __shared__ static
#include "odestream.cu"

// ---------------------------------------------------------------- argument unpacking

template <typename... A, std::size_t... I>
static void unpack(void (*f)(A...), void** p, std::index_sequence<I...>) {
    f(*static_cast<A*>(p[I])...);
}

template <typename... A>
static void unpack(void (*f)(A...), void** p) {
    unpack(f, p, std::index_sequence_for<A...>{});
}

typedef void (*Caller)(void**);
#define KERNEL(name) {#name, [](void** p) { unpack(name, p); }}

static const std::map<std::string, Caller> KERNELS = {
    KERNEL(linear_forward), KERNEL(activation_backward), KERNEL(linear_backward_input),
    KERNEL(linear_backward_params), KERNEL(gru_gates), KERNEL(gru_backward_rows), KERNEL(gru_backward_finish),
    KERNEL(add_into), KERNEL(negate_into), KERNEL(fill), KERNEL(divide_by), KERNEL(scale_by),
    KERNEL(zero_inactive), KERNEL(masked_copy), KERNEL(softplus_rates), KERNEL(intensity_vjp), KERNEL(rk_pass),
    KERNEL(dense_fit), KERNEL(dense_evaluate),
    KERNEL(error_partials), KERNEL(scaled_norm_partials), KERNEL(sum_partials), KERNEL(max_abs_partials),
    KERNEL(sumsq_partials), KERNEL(finish_sums), KERNEL(finish_max), KERNEL(initial_state), KERNEL(target_terms),
    KERNEL(event_terms), KERNEL(kl_terms), KERNEL(posterior_grad), KERNEL(adam_update),
};

static const char* SYNCHRONISING[] = {"error_partials", "scaled_norm_partials", "sum_partials", "max_abs_partials",
                                      "sumsq_partials", "finish_sums", "finish_max"};

// ---------------------------------------------------------------- fibers for __syncthreads

static const int MAX_THREADS = 1024;
static const size_t STACK = 64 * 1024;
static ucontext_t scheduler;
static ucontext_t fibers[MAX_THREADS];
static char* stacks[MAX_THREADS];
static bool finished[MAX_THREADS];
static Caller current;
static void** currentArgs;
static int running;

static void __syncthreads() {
    swapcontext(&fibers[running], &scheduler);
}

static void fiberEntry() {
    current(currentArgs);
    finished[running] = true;
    swapcontext(&fibers[running], &scheduler);
}

static void runBlockAsFibers(int threads) {
    for (int t = 0; t < threads; t++) {
        if (stacks[t] == nullptr) stacks[t] = static_cast<char*>(std::malloc(STACK));
        getcontext(&fibers[t]);
        fibers[t].uc_stack.ss_sp = stacks[t];
        fibers[t].uc_stack.ss_size = STACK;
        fibers[t].uc_link = &scheduler;
        makecontext(&fibers[t], fiberEntry, 0);
        finished[t] = false;
    }
    bool any = true;
    while (any) {
        any = false;
        for (int t = 0; t < threads; t++) {
            if (!finished[t]) {
                running = t;
                threadIdx = {(unsigned) t, 0, 0};
                swapcontext(&scheduler, &fibers[t]);
                any = true;
            }
        }
    }
}

// ---------------------------------------------------------------- the launch

extern "C" int host_launch(const char* name, int blocks, int threads, void** args) {
    auto k = KERNELS.find(name);
    if (k == KERNELS.end() || threads > MAX_THREADS) return 1;
    bool sync = false;
    for (const char* s : SYNCHRONISING) sync |= std::strcmp(s, name) == 0;
    blockDim = {(unsigned) threads, 1, 1};
    current = k->second;
    currentArgs = args;
    for (int b = 0; b < blocks; b++) {
        blockIdx = {(unsigned) b, 0, 0};
        if (sync) {
            runBlockAsFibers(threads);
        } else {
            for (int t = 0; t < threads; t++) {
                threadIdx = {(unsigned) t, 0, 0};
                current(args);
            }
        }
    }
    return 0;
}

// ---------------------------------------------------------------- a stand-in for libcuda.so.1
//
// Built with -DODESTREAM_FAKE_DRIVER as a library the tests hand to CudaDriver in place of the NVIDIA driver: the
// driver calls the backend makes, with host memory as device memory and cuLaunchKernel running the kernels above.
// It checks the bindings (symbol names, signatures, handles, argument packing) on machines without a GPU.
#ifdef ODESTREAM_FAKE_DRIVER
#include <cstdint>
typedef int CUresult;
typedef unsigned long long CUdeviceptr;

static const char* ERROR_NAMES[] = {"CUDA_SUCCESS", "CUDA_ERROR_INVALID_VALUE"};
static int context = 42;

extern "C" {
CUresult cuInit(unsigned int) { return 0; }
CUresult cuDeviceGetCount(int* count) { *count = 1; return 0; }
CUresult cuDeviceGet(int* device, int ordinal) { *device = ordinal; return ordinal == 0 ? 0 : 1; }
CUresult cuDeviceGetName(char* name, int length, int) {
    std::strncpy(name, "host stand-in", length);
    return 0;
}
CUresult cuDevicePrimaryCtxRetain(void** ctx, int) { *ctx = &context; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void* ctx) { return ctx == &context ? 0 : 1; }
CUresult cuCtxSynchronize() { return 0; }
CUresult cuModuleLoadData(void** module, const void* image) {
    *module = &context;
    return std::strstr(static_cast<const char*>(image), ".version 9.0") != nullptr ? 0 : 1;
}
CUresult cuModuleGetFunction(void** function, void*, const char* name) {
    if (KERNELS.find(name) == KERNELS.end()) return 1;
    *function = strdup(name);
    return 0;
}
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    *p = reinterpret_cast<CUdeviceptr>(std::calloc(1, bytes));
    return *p != 0 ? 0 : 1;
}
CUresult cuMemFree_v2(CUdeviceptr p) { std::free(reinterpret_cast<void*>(p)); return 0; }
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
    std::memcpy(reinterpret_cast<void*>(dst), src, bytes);
    return 0;
}
CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
    std::memcpy(dst, reinterpret_cast<void*>(src), bytes);
    return 0;
}
CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), bytes);
    return 0;
}
CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t n) {
    std::memset(reinterpret_cast<void*>(dst), value, n);
    return 0;
}
CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void* stream, void** params, void** extra) {
    if (gy != 1 || gz != 1 || by != 1 || bz != 1 || shared != 0 || stream != nullptr || extra != nullptr) return 1;
    return host_launch(static_cast<const char*>(f), (int) gx, (int) bx, params);
}
CUresult cuGetErrorName(CUresult error, const char** name) {
    if (error < 0 || error > 1) return 1;
    *name = ERROR_NAMES[error];
    return 0;
}
}
#endif
