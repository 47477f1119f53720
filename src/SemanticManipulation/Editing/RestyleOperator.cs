using SemanticManipulation.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// <c>restyle</c>: makes the painted region look like a reference image, with strength s ∈ [0, 1]:
/// <c>r_e[u, p] = (1 − s·m[p])·r[u, p] + s·m[p]·r̄_ref[u]</c> for every unit u, where m is the mask max-pooled to the
/// layer's grid and r̄_ref the reference's mean representation over its region (the authors did not publish theirs).
/// This is the core edit with all units, values r̄_ref and opacity s·m, so it composes with the others.
/// </summary>
public sealed class RestyleOperator : IEditOperator<Restyle>, IEditPrecheck
{
    /// <summary>The operator's name.</summary>
    public const string OperatorName = "restyle";

    /// <inheritdoc />
    public string Name => OperatorName;

    /// <inheritdoc />
    public string Description => "Restyle the painted region after a reference image, with strength s in [0, 1].";

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The reference was not resolved to its representation (the pipeline
    /// does this before the operator runs; call <see cref="ReferenceImage.FromRepresentation"/> when using the operator
    /// directly).</exception>
    public EditStroke CreateStroke(Restyle edit, EditContext context)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(context);
        var reference = edit.Reference;
        var representation = reference.Representation ?? throw new InvalidOperationException(
            $"Restyling needs the {reference}'s representation: open the photo with a SemanticEditor, whose PhotoEdit.Apply inverts " +
            "the reference first, or pass ReferenceImage.FromRepresentation(...).");
        var mask = context.PrepareMask(edit.Mask);
        var mean = MeanRepresentation(representation, reference.Region, context);
        var units = Enumerable.Range(0, mean.Length).ToArray();
        if (context.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            var description = reference.ToString();
            Log.StrokeCreated(context.Logger, Name, description, units.Length, edit.Strength, mask.Coverage);
        }

        return new EditStroke(Name, mask, units, mean, edit.Strength, concept: null);
    }

    /// <summary>r̄_ref: the reference's representation averaged over its region, weighting each grid cell by the share
    /// of it inside the region.</summary>
    private static float[] MeanRepresentation(Tensor representation, Tensor? region, EditContext context)
    {
        var generator = context.Generator;
        var shape = generator.RepresentationShape;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (!representation.shape.SequenceEqual(shape.ToTensorShape()))
        {
            throw new ArgumentException(
                $"The reference's representation must have shape [{string.Join(", ", shape.ToTensorShape())}]; got " +
                $"[{string.Join(", ", representation.shape)}].", nameof(representation));
        }

        var r = representation.detach().to(ScalarType.Float32).cpu();
        if (!r.isfinite().all().item<bool>())
        {
            throw new ArgumentException("The reference's representation holds NaN or infinite values.", nameof(representation));
        }

        Tensor weights;
        if (region is null)
        {
            weights = ones(1, 1, shape.Height, shape.Width);
        }
        else
        {
            weights = nn.functional.adaptive_avg_pool2d(PrepareRegion(region, context).ToTensor(), [shape.Height, shape.Width]);
        }

        var mean = (r * weights).sum([0, 2, 3]) / weights.sum();
        return mean.data<float>().ToArray();
    }

    // The mask and the reference's region; the reference itself is read and inverted only when the edit is applied.
    void IEditPrecheck.Precheck(SemanticEdit edit, EditContext context)
    {
        var restyle = (Restyle)edit;
        context.PrepareMask(restyle.Mask);
        if (restyle.Reference.Region is { } region)
        {
            PrepareRegion(region, context);
        }
    }

    private static StrokeMask PrepareRegion(Tensor region, EditContext context)
    {
        try
        {
            return StrokeMask.FromTensor(region, context.Generator.Resolution, context.Logger);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The reference region: {ex.Message}", nameof(region), ex);
        }
    }
}
