using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// An edit of the representation r at the split layer: per unit u and grid cell p an opacity
/// <c>a[u, p]</c> and a value <c>v[u, p]</c>, applied as <c>r_e = r·(1 − a) + v·a</c>. Strokes compose "over":
/// <c>a = 1 − (1 − a_new)(1 − a_acc)</c>, <c>v = (v_acc·a_acc·(1 − a_new) + v_new·a_new) / a</c>, which gives the same
/// r_e as applying the strokes one after another. Owns its two tensors; dispose it.
/// </summary>
public sealed class FeatureEdit : IDisposable
{
    private bool _disposed;

    private FeatureEdit(Tensor alpha, Tensor value)
    {
        Alpha = alpha;
        Value = value;
        Shape = new FeatureShape((int)alpha.shape[1], (int)alpha.shape[2], (int)alpha.shape[3]);
    }

    /// <summary>The representation's shape the edit applies to.</summary>
    public FeatureShape Shape { get; }

    /// <summary>The opacity a, float32 <c>[1, C, H, W]</c> in [0, 1]. Owned by the edit.</summary>
    public Tensor Alpha { get; }

    /// <summary>The value v, float32 <c>[1, C, H, W]</c>; 0 wherever a is 0. Owned by the edit.</summary>
    public Tensor Value { get; }

    /// <summary>The edit that changes nothing (a = 0, v = 0).</summary>
    /// <param name="shape">The representation's shape.</param>
    /// <param name="device">Where the tensors live; null for the CPU.</param>
    public static FeatureEdit Empty(FeatureShape shape, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        ThrowIfInvalidShape(shape);
        return new FeatureEdit(
            zeros(shape.ToTensorShape(), ScalarType.Float32, device).DetachFromDisposeScope(),
            zeros(shape.ToTensorShape(), ScalarType.Float32, device).DetachFromDisposeScope());
    }

    /// <summary>
    /// The edit of one stroke: its mask max-pooled to the layer's grid (a cell is edited if any pixel in it is painted,
    /// as much as its most painted pixel), times the strength, for the stroke's units; their values everywhere else 0.
    /// </summary>
    /// <param name="stroke">The stroke.</param>
    /// <param name="shape">The representation's shape; the stroke's units must be below its channel count.</param>
    /// <param name="device">Where the tensors live; null for the CPU.</param>
    /// <exception cref="ArgumentException">A unit is outside the representation's channels.</exception>
    public static FeatureEdit FromStroke(EditStroke stroke, FeatureShape shape, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(stroke);
        TorchRuntime.EnsureInitialized();
        ThrowIfInvalidShape(shape);
        var outside = stroke.Units.Where(u => u >= shape.Channels).ToArray();
        if (outside.Length > 0)
        {
            throw new ArgumentException(
                $"The '{stroke.Operator}' stroke changes units {string.Join(", ", outside)}, but the representation has only " +
                $"{shape.Channels} units ({shape}).", nameof(stroke));
        }

        using var scope = NewDisposeScope();
        var selected = new float[shape.Channels];
        var values = new float[shape.Channels];
        for (var i = 0; i < stroke.Units.Count; i++)
        {
            selected[stroke.Units[i]] = 1f;
            values[stroke.Units[i]] = stroke.Values[i];
        }

        var cells = nn.functional.adaptive_max_pool2d(stroke.Mask.ToTensor(device), [shape.Height, shape.Width]);
        var unitSelector = tensor(selected, [1, shape.Channels, 1, 1], ScalarType.Float32, device);
        var alpha = cells * stroke.Strength * unitSelector;
        var value = where(alpha > 0, tensor(values, [1, shape.Channels, 1, 1], ScalarType.Float32, device), 0f);
        return new FeatureEdit(alpha.contiguous().DetachFromDisposeScope(), value.contiguous().DetachFromDisposeScope());
    }

    /// <summary>An edit from explicit opacity and value tensors (copied), e.g. one a host computed itself.</summary>
    /// <param name="alpha">The opacity, <c>[1, C, H, W]</c>, values in [0, 1].</param>
    /// <param name="value">The value, same shape; only read where alpha is above 0.</param>
    /// <exception cref="ArgumentException">The shapes differ or are not <c>[1, C, H, W]</c>, alpha is outside [0, 1], or
    /// a value is not finite.</exception>
    public static FeatureEdit FromTensors(Tensor alpha, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        ArgumentNullException.ThrowIfNull(value);
        TorchRuntime.EnsureInitialized();
        if (alpha.dim() != 4 || alpha.shape[0] != 1 || !alpha.shape.SequenceEqual(value.shape))
        {
            throw new ArgumentException(
                $"Opacity and value must both have shape [1, C, H, W]; got [{string.Join(", ", alpha.shape)}] and " +
                $"[{string.Join(", ", value.shape)}].");
        }

        using var scope = NewDisposeScope();
        var a = alpha.detach().to(ScalarType.Float32);
        var v = value.detach().to(ScalarType.Float32).to(a.device);
        if (!a.isfinite().all().item<bool>() || a.min().item<float>() < 0 || a.max().item<float>() > 1)
        {
            throw new ArgumentException("The opacity must hold finite values in [0, 1].", nameof(alpha));
        }

        var canonical = where(a > 0, v, 0f);
        if (!canonical.isfinite().all().item<bool>())
        {
            throw new ArgumentException("The values must be finite where the opacity is above 0.", nameof(value));
        }

        return new FeatureEdit(a.clone().DetachFromDisposeScope(), canonical.contiguous().DetachFromDisposeScope());
    }

    /// <summary>
    /// Composes <paramref name="next"/> over this edit: <c>a = 1 − (1 − a_next)(1 − a)</c>,
    /// <c>v = (v·a·(1 − a_next) + v_next·a_next) / a</c> (0 where the result's a is 0).
    /// </summary>
    /// <param name="next">The edit painted on top.</param>
    /// <returns>A new edit; neither input changes.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public FeatureEdit Then(FeatureEdit next)
    {
        ArgumentNullException.ThrowIfNull(next);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (next.Shape != Shape)
        {
            throw new ArgumentException($"Cannot compose an edit of shape {next.Shape} over one of shape {Shape}.", nameof(next));
        }

        using var scope = NewDisposeScope();
        var aNew = next.Alpha.to(Alpha.device);
        var vNew = next.Value.to(Alpha.device);
        var alpha = 1 - ((1 - aNew) * (1 - Alpha));
        var weighted = (Value * Alpha * (1 - aNew)) + (vNew * aNew);
        // Where nothing is painted a is exactly 0; elsewhere a ≥ the largest stroke opacity, so the division is safe.
        var value = where(alpha > 0, weighted / alpha.clamp_min(float.Epsilon), 0f);
        return new FeatureEdit(alpha.DetachFromDisposeScope(), value.DetachFromDisposeScope());
    }

    /// <summary>Applies the edit: <c>r_e = r·(1 − a) + v·a</c>.</summary>
    /// <param name="representation">r, <c>[N, C, H, W]</c> with this edit's C, H, W (every image gets the same edit).</param>
    /// <returns>A new tensor r_e on r's device, float32.</returns>
    /// <exception cref="ArgumentException">r has another shape.</exception>
    public Tensor Apply(Tensor representation)
    {
        ArgumentNullException.ThrowIfNull(representation);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (representation.dim() != 4 || representation.shape[1] != Shape.Channels
            || representation.shape[2] != Shape.Height || representation.shape[3] != Shape.Width)
        {
            throw new ArgumentException(
                $"The representation must have shape [N, {Shape.Channels}, {Shape.Height}, {Shape.Width}]; got " +
                $"[{string.Join(", ", representation.shape)}].", nameof(representation));
        }

        using var scope = NewDisposeScope();
        var r = representation.to(ScalarType.Float32);
        var a = Alpha.to(r.device);
        return ((r * (1 - a)) + (Value.to(r.device) * a)).MoveToOuterDisposeScope();
    }

    /// <summary>Where the edit changes anything: <c>[1, 1, H, W]</c>, the largest opacity over units per cell.</summary>
    public Tensor CellCoverage()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Alpha.amax([1], keepdim: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Alpha.Dispose();
            Value.Dispose();
        }
    }

    private static void ThrowIfInvalidShape(FeatureShape shape)
    {
        if (shape.Channels < 1 || shape.Height < 1 || shape.Width < 1)
        {
            throw new ArgumentException($"Invalid representation shape {shape}.", nameof(shape));
        }
    }
}
