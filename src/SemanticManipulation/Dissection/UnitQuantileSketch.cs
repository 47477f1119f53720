namespace SemanticManipulation.Dissection;

/// <summary>
/// Streaming per-unit quantiles in bounded memory: one fixed-size histogram per unit whose range doubles (merging
/// neighbouring bins pairwise, so no count is ever re-estimated) whenever a value falls outside it. After any number of
/// values, a quantile is off by at most one bin width (the unit's range / bins, at worst twice the observed range /
/// bins); minimum and maximum are exact. Deterministic: the same values in the same order give the same answers.
/// </summary>
/// <remarks>Memory: units × bins counts (512 units × 2048 bins = 8 MB), however many samples are added.</remarks>
internal sealed class UnitQuantileSketch
{
    private readonly int _bins;
    private readonly long[] _counts;
    private readonly double[] _low;
    private readonly double[] _width;
    private readonly float[] _minimum;
    private readonly float[] _maximum;
    private readonly long[] _total;

    public UnitQuantileSketch(int units, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (bins < 16 || bins % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "The histogram needs an even number of bins, at least 16.");
        }

        Units = units;
        _bins = bins;
        _counts = new long[(long)units * bins];
        _low = new double[units];
        _width = new double[units];
        _minimum = new float[units];
        _maximum = new float[units];
        _total = new long[units];
    }

    public int Units { get; }

    /// <summary>Values seen for <paramref name="unit"/>.</summary>
    public long Count(int unit) => _total[unit];

    /// <summary>The exact smallest value seen for <paramref name="unit"/>.</summary>
    public float Minimum(int unit) => _minimum[unit];

    /// <summary>The exact largest value seen for <paramref name="unit"/>.</summary>
    public float Maximum(int unit) => _maximum[unit];

    /// <summary>Adds values laid out unit-major: <paramref name="valuesPerUnit"/> values of unit 0, then of unit 1, ….</summary>
    /// <exception cref="InvalidDataException">A value is NaN or infinite.</exception>
    public void Add(ReadOnlySpan<float> data, int valuesPerUnit)
    {
        if (valuesPerUnit <= 0 || data.Length != (long)valuesPerUnit * Units)
        {
            throw new ArgumentException($"Expected {Units} × {valuesPerUnit} values; got {data.Length}.", nameof(data));
        }

        for (var unit = 0; unit < Units; unit++)
        {
            AddUnit(unit, data.Slice(unit * valuesPerUnit, valuesPerUnit));
        }
    }

    /// <summary>The <paramref name="q"/>-quantile of <paramref name="unit"/>'s values, interpolated within its bin.</summary>
    public double Quantile(int unit, double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile must be in [0, 1].");
        }

        var total = _total[unit];
        if (total == 0)
        {
            throw new InvalidOperationException($"Unit {unit} has no values yet.");
        }

        var target = q * total;
        var counts = _counts.AsSpan(unit * _bins, _bins);
        double cumulative = 0;
        for (var i = 0; i < _bins; i++)
        {
            var c = counts[i];
            if (c > 0 && cumulative + c >= target)
            {
                var within = (target - cumulative) / c;
                var value = _low[unit] + ((i + within) * _width[unit]);
                return Math.Clamp(value, _minimum[unit], _maximum[unit]);
            }

            cumulative += c;
        }

        return _maximum[unit];
    }

    private void AddUnit(int unit, ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                throw new InvalidDataException($"Unit {unit} produced a non-finite activation ({v}); the generator is broken.");
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (_total[unit] == 0)
        {
            // The first batch sets the range; a constant unit gets a small range around its value.
            var span = max - (double)min;
            if (span <= 0)
            {
                span = Math.Max(Math.Abs((double)min), 1.0) * 1e-3;
            }

            _low[unit] = min;
            _width[unit] = span * (1 + 1e-9) / _bins;
            _minimum[unit] = min;
            _maximum[unit] = max;
        }
        else
        {
            _minimum[unit] = Math.Min(_minimum[unit], min);
            _maximum[unit] = Math.Max(_maximum[unit], max);
        }

        var counts = _counts.AsSpan(unit * _bins, _bins);
        while (min < _low[unit])
        {
            GrowDownward(unit, counts);
        }

        while (max >= _low[unit] + (_bins * _width[unit]))
        {
            GrowUpward(unit, counts);
        }

        var low = _low[unit];
        var width = _width[unit];
        foreach (var v in values)
        {
            var index = (int)((v - low) / width);
            counts[Math.Clamp(index, 0, _bins - 1)]++;
        }

        _total[unit] += values.Length;
    }

    /// <summary>Doubles the bin width keeping the lower edge: bins 2i and 2i+1 become bin i.</summary>
    private void GrowUpward(int unit, Span<long> counts)
    {
        var half = _bins / 2;
        for (var i = 0; i < half; i++)
        {
            counts[i] = counts[2 * i] + counts[(2 * i) + 1];
        }

        counts[half..].Clear();
        _width[unit] *= 2;
    }

    /// <summary>Doubles the bin width keeping the upper edge: bins 2i and 2i+1 become bin half + i.</summary>
    private void GrowDownward(int unit, Span<long> counts)
    {
        var half = _bins / 2;
        for (var i = half - 1; i >= 0; i--)
        {
            counts[half + i] = counts[2 * i] + counts[(2 * i) + 1];
        }

        counts[..half].Clear();
        _low[unit] -= _bins * _width[unit];
        _width[unit] *= 2;
    }
}
