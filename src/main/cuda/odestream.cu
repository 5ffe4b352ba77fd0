// Kernels of the CUDA training backend (dev.odestream.cuda), all in fp64.
//
// They repeat the arithmetic of the JVM reference operation for operation where that is cheap: each Linear output
// is an fma chain from the bias over the inputs in order (as dev.odestream.nn.Linear), tanh is the same polynomial
// and doublings as dev.odestream.nn.Activation, and the Runge-Kutta combinations add their terms in the same
// order. Compiled with -fmad=false so that a * b + c stays two roundings wherever the Java code writes it so.
// Reductions over the batch (error norms, loss sums) differ from the sequential JVM sums only in rounding order.
//
// Build (the PTX is committed; see src/main/resources/cuda/README.md):
//   nvcc -ptx -arch=compute_90 -fmad=false -o src/main/resources/cuda/odestream.ptx src/main/cuda/odestream.cu

#define ACT_IDENTITY 0
#define ACT_TANH 1
#define ACT_SOFTPLUS 2

#define REDUCE_THREADS 256

// ------------------------------------------------------------------ activations

__device__ double tanh_seed(double x) {
    double a = fmin(fabs(x), 20.0);
    double u = a * -0x1p-6;
    double p = fma(u, 1.0 / 6227020800.0, 1.0 / 479001600.0);
    p = fma(u, p, 1.0 / 39916800.0);
    p = fma(u, p, 1.0 / 3628800.0);
    p = fma(u, p, 1.0 / 362880.0);
    p = fma(u, p, 1.0 / 40320.0);
    p = fma(u, p, 1.0 / 5040.0);
    p = fma(u, p, 1.0 / 720.0);
    p = fma(u, p, 1.0 / 120.0);
    p = fma(u, p, 1.0 / 24.0);
    p = fma(u, p, 1.0 / 6.0);
    p = fma(u, p, 0.5);
    p = fma(u, p, 1.0);
    return -2.0 * a * p;
}

__device__ double tanh_doublings(double w) {
    w = fma(w, w * 0x1p-8, w);
    w = fma(w, w * 0x1p-7, w);
    w = fma(w, w * 0x1p-6, w);
    w = fma(w, w * 0x1p-5, w);
    w = fma(w, w * 0x1p-4, w);
    w = fma(w, w * 0x1p-3, w);
    return fma(w, w * 0x1p-2, w);
}

__device__ double signum(double x) {
    return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x);
}

// The JVM's tanh: (0 - m) / (2 + m) * sign(x), m = expm1(-2|x|) from a Taylor seed and seven doublings.
__device__ double os_tanh(double x) {
    double m = tanh_doublings(tanh_seed(x));
    return (0.0 - m) / (2.0 + m) * signum(x);
}

__device__ double os_sigmoid(double x) {
    if (x >= 0) {
        return 1.0 / (1.0 + exp(-x));
    }
    double e = exp(x);
    return e / (1.0 + e);
}

__device__ double os_softplus(double x) {
    return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

__device__ double activate(int act, double x) {
    switch (act) {
        case ACT_TANH: return os_tanh(x);
        case ACT_SOFTPLUS: return os_softplus(x);
        default: return x;
    }
}

__device__ double activation_grad(int act, double x, double y, double dy) {
    switch (act) {
        case ACT_TANH: return dy * (1.0 - y * y);
        case ACT_SOFTPLUS: return dy * os_sigmoid(x);
        default: return dy;
    }
}

__device__ int thread_index() {
    return blockIdx.x * blockDim.x + threadIdx.x;
}

// ------------------------------------------------------------------ dense layers (rows = batch)

// pre = x W + b (W is in x out, row-major), post = act(pre); post may equal pre for the identity.
extern "C" __global__ void linear_forward(const double* x, const double* w, const double* b, double* pre,
                                          double* post, int rows, int in, int out, int act) {
    int id = thread_index();
    if (id >= rows * out) return;
    int r = id / out;
    int o = id - r * out;
    double c = b[o];
    const double* xr = x + (long) r * in;
    for (int i = 0; i < in; i++) {
        c = fma(xr[i], w[(long) i * out + o], c);
    }
    pre[id] = c;
    post[id] = activate(act, c);
}

// dx = act'(pre, post) * dy, element-wise.
extern "C" __global__ void activation_backward(const double* pre, const double* post, const double* dy,
                                               double* dx, int n, int act) {
    int i = thread_index();
    if (i < n) dx[i] = activation_grad(act, pre[i], post[i], dy[i]);
}

// dIn[r, i] = sum_o dOut[r, o] W[i, o], with the JVM's two interleaved accumulators.
extern "C" __global__ void linear_backward_input(const double* dOut, const double* w, double* dIn, int rows,
                                                 int in, int out) {
    int id = thread_index();
    if (id >= rows * in) return;
    int r = id / in;
    int i = id - r * in;
    const double* a = dOut + (long) r * out;
    const double* b = w + (long) i * out;
    double s0 = 0.0;
    double s1 = 0.0;
    int k = 0;
    for (; k + 1 < out; k += 2) {
        s0 += a[k] * b[k];
        s1 += a[k + 1] * b[k + 1];
    }
    if (k < out) s0 += a[k] * b[k];
    dIn[id] = s0 + s1;
}

// gW[i, o] += sum_r x[r, i] dOut[r, o]; gb[o] += sum_r dOut[r, o]: one thread per parameter, rows in order.
extern "C" __global__ void linear_backward_params(const double* dOut, const double* x, double* gw, double* gb,
                                                  int rows, int in, int out) {
    int id = thread_index();
    int weights = in * out;
    if (id >= weights + out) return;
    if (id < weights) {
        int i = id / out;
        int o = id - i * out;
        double g = gw[id];
        for (int r = 0; r < rows; r++) g += x[(long) r * in + i] * dOut[(long) r * out + o];
        gw[id] = g;
    } else {
        int o = id - weights;
        double g = gb[o];
        for (int r = 0; r < rows; r++) g += dOut[(long) r * out + o];
        gb[o] = g;
    }
}

// ------------------------------------------------------------------ GRU cell (reset after the hidden product)

// From gx = x Wx + bx and gh = h Wh + bh: the gates, and h <- h' for the rows whose mask is set. mask may be null
// (every row). r, z, n are kept for the backward pass.
extern "C" __global__ void gru_gates(const double* gx, const double* gh, double* h, const int* mask, double* r,
                                     double* z, double* n, int rows, int hidden) {
    int id = thread_index();
    if (id >= rows * hidden) return;
    int row = id / hidden;
    int j = id - row * hidden;
    long g = (long) row * 3 * hidden;
    double rj = 0.5 + 0.5 * os_tanh(0.5 * (gx[g + j] + gh[g + j]));
    double zj = 0.5 + 0.5 * os_tanh(0.5 * (gx[g + hidden + j] + gh[g + hidden + j]));
    double nj = os_tanh(gx[g + 2 * hidden + j] + rj * gh[g + 2 * hidden + j]);
    r[id] = rj;
    z[id] = zj;
    n[id] = nj;
    double hNew = (1.0 - zj) * nj + zj * h[id];
    if (mask == 0 || mask[row]) h[id] = hNew;
}

// Gate gradients of the rows with an event; the other rows get zeros (their state did not change).
extern "C" __global__ void gru_backward_rows(const double* dH, const int* mask, const double* r, const double* z,
                                             const double* n, const double* gh, const double* hPrev, double* dgx,
                                             double* dgh, double* dDirect, int rows, int hidden) {
    int id = thread_index();
    if (id >= rows * hidden) return;
    int row = id / hidden;
    int j = id - row * hidden;
    long g = (long) row * 3 * hidden;
    double dh = mask[row] ? dH[id] : 0.0;
    double rj = r[id];
    double zj = z[id];
    double nj = n[id];
    double dnPre = dh * (1.0 - zj) * (1.0 - nj * nj);
    double dzPre = dh * (hPrev[id] - nj) * zj * (1.0 - zj);
    double drPre = dnPre * gh[g + 2 * hidden + j] * rj * (1.0 - rj);
    dgx[g + j] = drPre;
    dgh[g + j] = drPre;
    dgx[g + hidden + j] = dzPre;
    dgh[g + hidden + j] = dzPre;
    dgx[g + 2 * hidden + j] = dnPre;
    dgh[g + 2 * hidden + j] = dnPre * rj;
    dDirect[id] = dh * zj;
}

// dH <- dHPrev + dDirect on the rows with an event; the others pass their adjoint through.
extern "C" __global__ void gru_backward_finish(const double* dHPrev, const double* dDirect, const int* mask,
                                               double* dH, int rows, int hidden) {
    int id = thread_index();
    if (id >= rows * hidden) return;
    if (mask[id / hidden]) dH[id] = dHPrev[id] + dDirect[id];
}

// ------------------------------------------------------------------ element-wise helpers

extern "C" __global__ void add_into(const double* x, double* y, int n) {
    int i = thread_index();
    if (i < n) y[i] += x[i];
}

extern "C" __global__ void negate_into(const double* x, double* y, int n) {
    int i = thread_index();
    if (i < n) y[i] = -x[i];
}

extern "C" __global__ void fill(double* x, int n, double value) {
    int i = thread_index();
    if (i < n) x[i] = value;
}

extern "C" __global__ void divide_by(double* x, int n, double d) {
    int i = thread_index();
    if (i < n) x[i] /= d;
}

extern "C" __global__ void scale_by(double* x, int n, double s) {
    int i = thread_index();
    if (i < n) x[i] *= s;
}

// Zeroes the rows whose flag is 0 in a rows x width block.
extern "C" __global__ void zero_inactive(double* v, const int* active, int rows, int width) {
    int id = thread_index();
    if (id < rows * width && !active[id / width]) v[id] = 0.0;
}

// out = active rows of v, zeros elsewhere (a rows x width block).
extern "C" __global__ void masked_copy(const double* v, double* out, const int* active, int rows, int width) {
    int id = thread_index();
    if (id < rows * width) out[id] = active[id / width] ? v[id] : 0.0;
}

// rate = softplus(pre) (the intensities), element-wise.
extern "C" __global__ void softplus_rates(const double* pre, double* rate, int n) {
    int i = thread_index();
    if (i < n) rate[i] = os_softplus(pre[i]);
}

// dPre = a_Lambda * sigmoid(pre): the intensity head's share of the latent system's vector-Jacobian product.
extern "C" __global__ void intensity_vjp(const double* aLambda, const double* pre, double* dPre, int n) {
    int i = thread_index();
    if (i < n) dPre[i] = aLambda[i] * os_sigmoid(pre[i]);
}

// ------------------------------------------------------------------ Runge-Kutta stages and error norm

// out = from + w0 k0 + w1 k1 + w2 k2 + w3 k3 over the first `terms` terms, left to right (the JVM's pass).
extern "C" __global__ void rk_pass(const double* from, double* out, int n, int terms, double w0, const double* k0,
                                   double w1, const double* k1, double w2, const double* k2, double w3,
                                   const double* k3) {
    int i = thread_index();
    if (i >= n) return;
    double v = from[i];
    if (terms > 0) v = v + w0 * k0[i];
    if (terms > 1) v = v + w1 * k1[i];
    if (terms > 2) v = v + w2 * k2[i];
    if (terms > 3) v = v + w3 * k3[i];
    out[i] = v;
}

// One coefficient of a step's dense output, as dev.odestream.ode.Interpolant.fitDense: 0 plus the stages whose
// weight w_s = h * dense[s][p] is non-zero, in stage order.
extern "C" __global__ void dense_fit(double* out, int n, double w0, const double* k0, double w1, const double* k1,
                                     double w2, const double* k2, double w3, const double* k3, double w4,
                                     const double* k4, double w5, const double* k5, double w6, const double* k6) {
    int i = thread_index();
    if (i >= n) return;
    double v = 0.0;
    if (w0 != 0.0) v = v + w0 * k0[i];
    if (w1 != 0.0) v = v + w1 * k1[i];
    if (w2 != 0.0) v = v + w2 * k2[i];
    if (w3 != 0.0) v = v + w3 * k3[i];
    if (w4 != 0.0) v = v + w4 * k4[i];
    if (w5 != 0.0) v = v + w5 * k5[i];
    if (w6 != 0.0) v = v + w6 * k6[i];
    out[i] = v;
}

// y(theta) = y0 + sum_p theta^p c_p by Horner's rule, as Interpolant.evaluate; coefficients holds c_1 .. c_degree.
extern "C" __global__ void dense_evaluate(const double* y0, const double* coefficients, int n, int degree,
                                          double theta, double* out) {
    int i = thread_index();
    if (i >= n) return;
    double acc = 0.0;
    for (int p = degree; p >= 1; p--) {
        acc = (acc + coefficients[(long) (p - 1) * n + i]) * theta;
    }
    out[i] = y0[i] + acc;
}

// Block sums of two quantities per thread into partials[2 * block], partials[2 * block + 1].
__device__ void block_sums(double a, double b, double* partials) {
    __shared__ double sa[REDUCE_THREADS];
    __shared__ double sb[REDUCE_THREADS];
    int t = threadIdx.x;
    sa[t] = a;
    sb[t] = b;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (t < s) {
            sa[t] += sa[t + s];
            sb[t] += sb[t + s];
        }
        __syncthreads();
    }
    if (t == 0) {
        partials[2 * blockIdx.x] = sa[0];
        partials[2 * blockIdx.x + 1] = sb[0];
    }
}

__device__ double nonfinite(double v) {
    return isfinite(v) ? 0.0 : 1.0;
}

// The dopri5 error estimate err = sum_j e_j k_j (in the JVM's passes of four), then per block the sum over the
// controlled components (i < controlled) of (h err / (atol + rtol max(|y|, |yNew|)))^2, and the count of
// non-finite entries of yNew over all n.
extern "C" __global__ void error_partials(const double* k0, const double* k1, const double* k2, const double* k3,
                                          const double* k4, const double* k5, const double* k6, const double* y,
                                          const double* yNew, int n, int controlled, double h, double atol,
                                          double rtol, double e0, double e1, double e2, double e3, double e4,
                                          double e5, double e6, double* partials) {
    int i = thread_index();
    double sq = 0.0;
    double bad = 0.0;
    if (i < n) {
        bad = nonfinite(yNew[i]);
        if (i < controlled) {
            double err = 0.0 + e0 * k0[i] + e1 * k1[i] + e2 * k2[i] + e3 * k3[i];
            err = err + e4 * k4[i] + e5 * k5[i] + e6 * k6[i];
            double scale = atol + rtol * fmax(fabs(y[i]), fabs(yNew[i]));
            double ratio = h * err / scale;
            sq = ratio * ratio;
        }
    }
    block_sums(sq, bad, partials);
}

// Per block: sum over i < controlled of (v / (atol + rtol |yScale|))^2, and the non-finite count of v (and of
// yScale when countScale) over all n.
extern "C" __global__ void scaled_norm_partials(const double* v, const double* yScale, int n, int controlled,
                                                double atol, double rtol, int countScale, double* partials) {
    int i = thread_index();
    double sq = 0.0;
    double bad = 0.0;
    if (i < n) {
        bad = nonfinite(v[i]) + (countScale ? nonfinite(yScale[i]) : 0.0);
        if (i < controlled) {
            double ratio = v[i] / (atol + rtol * fabs(yScale[i]));
            sq = ratio * ratio;
        }
    }
    block_sums(sq, bad, partials);
}

// Per block: the sum of v and the non-finite count of v.
extern "C" __global__ void sum_partials(const double* v, int n, double* partials) {
    int i = thread_index();
    double x = i < n ? v[i] : 0.0;
    block_sums(x, i < n ? nonfinite(x) : 0.0, partials);
}

// Per block: the largest |v| (a non-finite entry makes it infinite), into partials[block].
extern "C" __global__ void max_abs_partials(const double* v, int n, double* partials) {
    __shared__ double s[REDUCE_THREADS];
    int i = thread_index();
    int t = threadIdx.x;
    double x = i < n ? fabs(v[i]) : 0.0;
    s[t] = isfinite(x) ? x : INFINITY;
    __syncthreads();
    for (int k = blockDim.x / 2; k > 0; k >>= 1) {
        if (t < k) s[t] = fmax(s[t], s[t + k]);
        __syncthreads();
    }
    if (t == 0) partials[blockIdx.x] = s[0];
}

// Per block: sum of (v / scale)^2.
extern "C" __global__ void sumsq_partials(const double* v, int n, double scale, double* partials) {
    int i = thread_index();
    double x = i < n ? v[i] / scale : 0.0;
    block_sums(x * x, 0.0, partials);
}

// One block: result[0..1] = the column sums of the pairs in partials, in block order per thread.
extern "C" __global__ void finish_sums(const double* partials, int blocks, double* result) {
    double a = 0.0;
    double b = 0.0;
    for (int k = threadIdx.x; k < blocks; k += blockDim.x) {
        a += partials[2 * k];
        b += partials[2 * k + 1];
    }
    // The launch has one block, so block 0's pair of sums lands in result[0] and result[1].
    block_sums(a, b, result);
}

// One block: result[0] = the largest of the partial maxima.
extern "C" __global__ void finish_max(const double* partials, int blocks, double* result) {
    __shared__ double s[REDUCE_THREADS];
    double m = 0.0;
    for (int k = threadIdx.x; k < blocks; k += blockDim.x) m = fmax(m, partials[k]);
    int t = threadIdx.x;
    s[t] = m;
    __syncthreads();
    for (int k = blockDim.x / 2; k > 0; k >>= 1) {
        if (t < k) s[t] = fmax(s[t], s[t + k]);
        __syncthreads();
    }
    if (t == 0) result[0] = s[0];
}

// ------------------------------------------------------------------ ELBO terms

// z_b = mu_b + exp(log sigma_b^2 / 2) eps_b for rows x latent; the Lambda block (rows x types after it) is zeroed.
extern "C" __global__ void initial_state(const double* muLogVar, const double* eps, double* y0, int rows,
                                         int latent, int types) {
    int id = thread_index();
    int zSize = rows * latent;
    if (id < zSize) {
        int b = id / latent;
        int l = id - b * latent;
        long m = (long) b * 2 * latent;
        y0[id] = muLogVar[m + l] + exp(0.5 * muLogVar[m + latent + l]) * eps[id];
    } else if (id < zSize + rows * types) {
        y0[id] = 0.0;
    }
}

// One target row per thread (the rows of one pass are distinct): its Gaussian log-likelihood, squared error and
// number of scored values into ll[e], sq[e], scored[e], and (decoded - value) / sigma^2 added to dOut. values and
// mask are entries x dim (mask 0 or 1).
extern "C" __global__ void target_terms(const double* decoded, const int* rowOf, const double* values,
                                        const int* mask, int first, int count, int dim, double sigma,
                                        double constant, double* dOut, double* ll, double* sq, double* scored) {
    int k = thread_index();
    if (k >= count) return;
    int e = first + k;
    int b = rowOf[e];
    double l = 0.0;
    double s = 0.0;
    double c = 0.0;
    for (int d = 0; d < dim; d++) {
        if (mask[(long) e * dim + d]) {
            double err = decoded[(long) b * dim + d] - values[(long) e * dim + d];
            double r = err / sigma;
            l += constant - 0.5 * r * r;
            s += err * err;
            c += 1.0;
            dOut[(long) b * dim + d] += err / (sigma * sigma);
        }
    }
    ll[e] = l;
    sq[e] = s;
    scored[e] = c;
}

// One event per thread (the rows of one pass are distinct): log lambda into terms[e], d(-log lambda)/dpre into dPre.
extern "C" __global__ void event_terms(const double* pre, const int* rowOf, const int* typeOf, int first, int count,
                                       int types, double logMin, double* dPre, double* terms) {
    int q = thread_index();
    if (q >= count) return;
    int e = first + q;
    long k = (long) rowOf[e] * types + typeOf[e];
    double rate = os_softplus(pre[k]);
    terms[e] = rate > 0 ? log(rate) : logMin;
    dPre[k] += rate > 0 ? -os_sigmoid(pre[k]) / rate : 0.0;
}

// KL(q_b || N(0, I)) per row.
extern "C" __global__ void kl_terms(const double* muLogVar, double* out, int rows, int latent) {
    int b = thread_index();
    if (b >= rows) return;
    long m = (long) b * 2 * latent;
    double sum = 0.0;
    for (int l = 0; l < latent; l++) {
        double mu = muLogVar[m + l];
        double logVar = muLogVar[m + latent + l];
        sum += mu * mu + exp(logVar) - 1.0 - logVar;
    }
    out[b] = 0.5 * sum;
}

// The gradient at the posterior head's output: through the reparameterisation, plus beta times the KL's.
extern "C" __global__ void posterior_grad(const double* a, const double* muLogVar, const double* eps, double beta,
                                          double* dHead, int rows, int latent) {
    int id = thread_index();
    if (id >= rows * latent) return;
    int b = id / latent;
    int l = id - b * latent;
    long m = (long) b * 2 * latent;
    double logVar = muLogVar[m + latent + l];
    double da = a[id];
    dHead[m + l] = da + beta * muLogVar[m + l];
    dHead[m + latent + l] = da * eps[id] * 0.5 * exp(0.5 * logVar) + beta * 0.5 * (exp(logVar) - 1.0);
}

// ------------------------------------------------------------------ optimizer

// Adam (Kingma and Ba, Algorithm 1) as dev.odestream.nn.Adam: c1, c2 are the inverse bias corrections.
extern "C" __global__ void adam_update(double* values, const double* grads, double* m, double* v, int n, double lr,
                                       double b1, double b2, double c1, double c2, double eps, double decay) {
    int i = thread_index();
    if (i >= n) return;
    double g = grads[i];
    m[i] = b1 * m[i] + (1.0 - b1) * g;
    v[i] = b2 * v[i] + (1.0 - b2) * g * g;
    values[i] -= lr * (m[i] * c1) / (sqrt(v[i] * c2) + eps) + decay * values[i];
}
