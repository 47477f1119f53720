using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Dissection;

/// <summary>
/// Counts, over streamed samples, how many pixels each unit's map exceeds each of its candidate thresholds, overall and
/// where each concept is present. A pixel's activation is placed between the unit's sorted thresholds once
/// (<c>searchsorted</c>) and histogrammed (<c>bincount</c>), so all thresholds cost one pass; memory is
/// concepts × units × (thresholds + 1) counts, independent of the number of samples.
/// </summary>
internal sealed class ConceptOverlapCounter
{
    private readonly int _units;
    private readonly int _slots;
    private readonly Tensor _thresholds;
    private readonly long[] _unitCounts;
    private readonly long[][] _conceptCounts;
    private readonly long[] _conceptPixels;

    /// <param name="thresholds">Per unit, its candidate thresholds ascending, <c>[C, K]</c> float32 (kept, not owned).</param>
    /// <param name="concepts">Number of concepts.</param>
    public ConceptOverlapCounter(Tensor thresholds, int concepts)
    {
        _thresholds = thresholds;
        _units = (int)thresholds.shape[0];
        _slots = (int)thresholds.shape[1] + 1;
        _unitCounts = new long[_units * _slots];
        _conceptCounts = Enumerable.Range(0, concepts).Select(_ => new long[_units * _slots]).ToArray();
        _conceptPixels = new long[concepts];
    }

    public long TotalPixels { get; private set; }

    public IReadOnlyList<long> ConceptPixels => _conceptPixels;

    /// <summary>Adds one image: unit maps <c>[C, P]</c> and concept presence <c>[L, P]</c> (boolean) over the same pixels.</summary>
    public void Add(Tensor activations, Tensor present)
    {
        using var scope = NewDisposeScope();
        // Slot j of a unit counts pixels above exactly j of its thresholds: activation > t_k  ⇔  slot > k.
        var slots = searchsorted(_thresholds, activations.contiguous(), out_int32: false, right: false);
        var offsets = arange(0, _units * (long)_slots, _slots, ScalarType.Int64, activations.device).unsqueeze(1);
        var flat = slots + offsets;
        Accumulate(_unitCounts, flat.flatten());
        for (var concept = 0; concept < _conceptCounts.Length; concept++)
        {
            var where = present[concept];
            var pixels = where.sum().item<long>();
            if (pixels == 0)
            {
                continue;
            }

            _conceptPixels[concept] += pixels;
            Accumulate(_conceptCounts[concept], flat.masked_select(where.unsqueeze(0).expand(flat.shape)));
        }

        TotalPixels += activations.shape[1];
    }

    /// <summary>Pixels where unit <paramref name="unit"/> exceeds its threshold k, for every k.</summary>
    public long[] Above(int unit) => Suffix(_unitCounts, unit);

    /// <summary>Pixels of <paramref name="concept"/> where the unit exceeds its threshold k, for every k.</summary>
    public long[] AboveWithin(int concept, int unit) => Suffix(_conceptCounts[concept], unit);

    /// <summary>Counts with activation above threshold k: the slots after k, summed.</summary>
    private long[] Suffix(long[] counts, int unit)
    {
        var thresholds = _slots - 1;
        var result = new long[thresholds];
        long sum = 0;
        for (var k = thresholds - 1; k >= 0; k--)
        {
            sum += counts[(unit * _slots) + k + 1];
            result[k] = sum;
        }

        return result;
    }

    private void Accumulate(long[] target, Tensor flatSlots)
    {
        using var counts = bincount(flatSlots, null, _units * (long)_slots).cpu();
        var values = counts.data<long>();
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += values[i];
        }
    }
}
