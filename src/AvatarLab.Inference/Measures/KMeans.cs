namespace AvatarLab.Inference.Measures;

/// <summary>
/// k-means as metrics.py's kmeans_fit / kmeans_assign: k-means++ seeding, Lloyd iterations
/// until no assignment changes (at most <see cref="MaxIterations"/>), the lowest-inertia of
/// several restarts. Deterministic for a seed, but its random draws are System.Random's, not
/// numpy's, so a fit matches Python's only in distribution; assignment and Lloyd from given
/// centres match exactly.
/// </summary>
internal static class KMeans
{
    /// <summary>Lloyd iterations at most (metrics.KMEANS_MAX_ITER, scikit-learn's default).</summary>
    public const int MaxIterations = 300;

    /// <summary>k-means++ restarts, best kept (metrics.KMEANS_N_INIT, scikit-learn's classic n_init).</summary>
    public const int DefaultRestarts = 10;

    /// <summary>Centres [k, D] of the rows of <paramref name="points"/> that are all finite.</summary>
    /// <exception cref="ArgumentException">Fewer finite rows than <paramref name="k"/>.</exception>
    public static FrameMatrix Fit(FrameMatrix points, int k, int seed, int restarts = DefaultRestarts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(restarts);
        var finite = FiniteRows(points);
        if (finite.Frames < k)
        {
            throw new ArgumentException($"k-means needs at least k = {k} finite frames, got {finite.Frames}", nameof(points));
        }

        var random = new Random(seed);
        FrameMatrix? best = null;
        var bestInertia = double.PositiveInfinity;
        for (var r = 0; r < restarts; r++)
        {
            var (centres, inertia) = Lloyd(finite, PlusPlusSeeds(finite, k, random));
            // Strict: the earliest restart wins ties.
            if (inertia < bestInertia)
            {
                (best, bestInertia) = (centres, inertia);
            }
        }

        return best!;
    }

    /// <summary>Index of the nearest centre per row, the lowest on ties; -1 for a row with a non-finite value.</summary>
    public static int[] Assign(FrameMatrix points, FrameMatrix centres)
    {
        if (points.Channels != centres.Channels)
        {
            throw new ArgumentException($"points have {points.Channels} channels, centres {centres.Channels}", nameof(centres));
        }

        var labels = new int[points.Frames];
        for (var f = 0; f < labels.Length; f++)
        {
            labels[f] = points.RowIsFinite(f) ? Nearest(points.Row(f), centres).Index : -1;
        }

        return labels;
    }

    /// <summary>
    /// Lloyd iterations from <paramref name="initial"/> (copied) on finite points (metrics._lloyd): assign,
    /// stop when no assignment changed, else move each non-empty cluster's centre to its members'
    /// mean (an empty one keeps its centre). Returns the centres and their inertia.
    /// </summary>
    public static (FrameMatrix Centres, double Inertia) Lloyd(FrameMatrix points, FrameMatrix initial)
    {
        var centres = new FrameMatrix((double[])initial.Values.Clone(), initial.Channels);
        int[]? labels = null;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = Assign(points, centres);
            if (labels is not null && next.AsSpan().SequenceEqual(labels))
            {
                break;
            }

            labels = next;
            MoveCentres(points, labels, centres);
        }

        var inertia = 0.0;
        for (var f = 0; f < points.Frames; f++)
        {
            inertia += Nearest(points.Row(f), centres).Distance;
        }

        return (centres, inertia);
    }

    /// <summary>Squared Euclidean distance as a sum of squared differences (metrics._sq_distances, not |x|^2 - 2 x.c + |c|^2).</summary>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            var diff = a[d] - b[d];
            sum += diff * diff;
        }

        return sum;
    }

    private static (int Index, double Distance) Nearest(ReadOnlySpan<double> point, FrameMatrix centres)
    {
        var (best, bestDistance) = (0, double.PositiveInfinity);
        for (var j = 0; j < centres.Frames; j++)
        {
            var distance = SquaredDistance(point, centres.Row(j));
            if (distance < bestDistance)
            {
                (best, bestDistance) = (j, distance);
            }
        }

        return (best, bestDistance);
    }

    private static void MoveCentres(FrameMatrix points, int[] labels, FrameMatrix centres)
    {
        var dims = points.Channels;
        var sums = new double[centres.Values.Length];
        var counts = new int[centres.Frames];
        for (var f = 0; f < points.Frames; f++)
        {
            counts[labels[f]]++;
            var row = points.Row(f);
            for (var d = 0; d < dims; d++)
            {
                sums[labels[f] * dims + d] += row[d];
            }
        }

        for (var j = 0; j < counts.Length; j++)
        {
            for (var d = 0; d < dims && counts[j] > 0; d++)
            {
                centres.Values[j * dims + d] = sums[j * dims + d] / counts[j];
            }
        }
    }

    /// <summary>
    /// k-means++ (metrics._kmeans_pp_init): the first centre uniform, each next one drawn with
    /// probability proportional to the squared distance to the nearest centre so far; uniform
    /// again when every point already is a centre.
    /// </summary>
    private static FrameMatrix PlusPlusSeeds(FrameMatrix points, int k, Random random)
    {
        var n = points.Frames;
        var chosen = new List<int> { random.Next(n) };
        var nearest = new double[n];
        for (var f = 0; f < n; f++)
        {
            nearest[f] = SquaredDistance(points.Row(f), points.Row(chosen[0]));
        }

        while (chosen.Count < k)
        {
            var total = nearest.Sum();
            var next = total <= 0 ? random.Next(n) : Draw(nearest, random.NextDouble() * total);
            chosen.Add(next);
            for (var f = 0; f < n; f++)
            {
                nearest[f] = Math.Min(nearest[f], SquaredDistance(points.Row(f), points.Row(next)));
            }
        }

        return points.SelectRows(chosen);
    }

    /// <summary>The first index whose running sum of weights exceeds u (u in [0, total)), never a zero-weight index.</summary>
    private static int Draw(double[] weights, double u)
    {
        var (cumulative, last) = (0.0, 0);
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            last = i;
            cumulative += weights[i];
            if (cumulative > u)
            {
                return i;
            }
        }

        // Rounding can leave u just above the last running sum.
        return last;
    }

    private static FrameMatrix FiniteRows(FrameMatrix points) =>
        points.SelectRows([.. Enumerable.Range(0, points.Frames).Where(points.RowIsFinite)]);
}
