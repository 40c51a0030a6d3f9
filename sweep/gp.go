package sweep

import "math"

// gp is a Gaussian-process surrogate over points of the unit cube: a
// Matérn 5/2 kernel of one length scale plus a noise term, both picked
// from a fixed grid by the largest marginal likelihood, on the observed
// losses standardised to mean 0 and spread 1. It is the model behind the
// adaptive search's expected improvement, plain enough to read: no
// gradient fitting, the same answer for the same points every time.
type gp struct {
	xs       [][]float64
	mean, sd float64   // of the raw losses, to standardise them
	scale    float64   // the kernel's length scale
	noise    float64   // variance of the noise term, in standardised units
	chol     []float64 // the Cholesky factor of K + noise·I, row-major n×n
	alpha    []float64 // (K + noise·I)⁻¹ y
	best     float64   // the lowest standardised loss seen
	n        int
}

// The hyper-parameter grids: length scales from a twentieth of the cube to
// beyond it, noise from almost none to a third of the losses' spread.
var (
	gpScales = []float64{0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2}
	gpNoises = []float64{1e-6, 1e-3, 1e-2, 0.05, 0.1, 0.3}
)

// matern52 is the Matérn 5/2 kernel at distance r for length scale l.
func matern52(r, l float64) float64 {
	s := math.Sqrt(5) * r / l
	return (1 + s + s*s/3) * math.Exp(-s)
}

func dist(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return math.Sqrt(s)
}

// fitGP fits the model to losses ys at points xs (at least one point).
func fitGP(xs [][]float64, ys []float64) *gp {
	n := len(xs)
	g := &gp{xs: xs, n: n}
	for _, y := range ys {
		g.mean += y / float64(n)
	}
	for _, y := range ys {
		g.sd += (y - g.mean) * (y - g.mean)
	}
	g.sd = math.Sqrt(g.sd / float64(n))
	if g.sd == 0 || math.IsNaN(g.sd) {
		g.sd = 1
	}
	z := make([]float64, n)
	g.best = math.Inf(1)
	for i, y := range ys {
		z[i] = (y - g.mean) / g.sd
		g.best = math.Min(g.best, z[i])
	}
	bestLL := math.Inf(-1)
	for _, l := range gpScales {
		for _, noise := range gpNoises {
			chol, ok := cholesky(kernelMatrix(xs, l, noise))
			if !ok {
				continue
			}
			alpha := cholSolve(chol, n, z)
			ll := 0.0
			for i := range z {
				ll -= 0.5*z[i]*alpha[i] + math.Log(chol[i*n+i])
			}
			if ll > bestLL+1e-12 {
				bestLL, g.scale, g.noise, g.chol, g.alpha = ll, l, noise, chol, alpha
			}
		}
	}
	if g.chol == nil { // no grid point factored: noise as large as the losses' spread always does
		g.scale, g.noise = 0.2, 1
		g.chol, _ = cholesky(kernelMatrix(xs, g.scale, g.noise))
		g.alpha = cholSolve(g.chol, n, z)
	}
	return g
}

func kernelMatrix(xs [][]float64, l, noise float64) []float64 {
	n := len(xs)
	k := make([]float64, n*n)
	for i := range xs {
		for j := range xs {
			k[i*n+j] = matern52(dist(xs[i], xs[j]), l)
		}
		k[i*n+i] += noise
	}
	return k
}

// cholesky factors the symmetric matrix a (n×n, row-major) as L·Lᵀ; false
// when it is not positive definite.
func cholesky(a []float64) ([]float64, bool) {
	n := int(math.Sqrt(float64(len(a))))
	l := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= l[i*n+k] * l[j*n+k]
			}
			if i == j {
				if s <= 0 {
					return nil, false
				}
				l[i*n+i] = math.Sqrt(s)
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	return l, true
}

// forward solves L·v = b.
func forward(l []float64, n int, b []float64) []float64 {
	v := make([]float64, n)
	for i := 0; i < n; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= l[i*n+k] * v[k]
		}
		v[i] = s / l[i*n+i]
	}
	return v
}

// cholSolve solves L·Lᵀ·x = b.
func cholSolve(l []float64, n int, b []float64) []float64 {
	v := forward(l, n, b)
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := v[i]
		for k := i + 1; k < n; k++ {
			s -= l[k*n+i] * x[k]
		}
		x[i] = s / l[i*n+i]
	}
	return x
}

// predict is the model's mean and standard deviation (standardised units)
// of the loss at x.
func (g *gp) predict(x []float64) (mu, sigma float64) {
	k := make([]float64, g.n)
	for i, xi := range g.xs {
		k[i] = matern52(dist(x, xi), g.scale)
		mu += k[i] * g.alpha[i]
	}
	v := forward(g.chol, g.n, k)
	variance := 1.0
	for _, vi := range v {
		variance -= vi * vi
	}
	return mu, math.Sqrt(math.Max(variance, 1e-12))
}

// eiXi is the least improvement worth a probe (scikit-optimize's xi).
const eiXi = 0.01

// expectedImprovement of probing x, over the lowest loss seen.
func (g *gp) expectedImprovement(x []float64) float64 {
	mu, sigma := g.predict(x)
	d := g.best - mu - eiXi
	z := d / sigma
	return d*normCDF(z) + sigma*normPDF(z)
}

// chanceBelow is the model's probability that the value at x is at most
// limit (in the raw units it was fitted on).
func (g *gp) chanceBelow(x []float64, limit float64) float64 {
	mu, sigma := g.predict(x)
	return normCDF(((limit-g.mean)/g.sd - mu) / sigma)
}

func normPDF(z float64) float64 { return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi) }
func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
