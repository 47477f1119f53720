using SemanticManipulation.Diagnostics;
using SemanticManipulation.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// <c>restyle</c>: makes the painted region look like a reference image, with strength s ∈ [0, 1]:
/// <c>r_e[u, p] = (1 − s·m[p])·r[u, p] + s·m[p]·r̄_ref[u]</c> for every unit u, where m is the mask max-pooled to the
/// layer's grid and r̄_ref the reference's mean representation over its region (DESIGN 3.5; the authors did not
/// publish theirs). This is the core edit with all units, values r̄_ref and opacity s·m, so it composes with the others.
/// </summary>
public sealed class RestyleOperator : IEditOperator
{
    /// <summary>The operator's name.</summary>
    public const string OperatorName = "restyle";

    /// <inheritdoc />
    public string Name => OperatorName;

    /// <inheritdoc />
    public string Description => "Restyle the painted region after a reference image, with strength s in [0, 1].";

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">The reference image file does not exist.</exception>
    /// <exception cref="InvalidOperationException">The reference is an image but the context has no
    /// <see cref="EditContext.ReferenceEncoder"/> to invert it.</exception>
    public EditStroke CreateStroke(EditRequest request, EditContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        EditStroke.ThrowIfInvalidStrength(request.Strength, nameof(request.Strength));
        var reference = request.Reference ?? throw new ArgumentException(
            "The 'restyle' operator needs a reference image (EditRequest.Reference): a file, an image or its representation.",
            nameof(request));
        if (reference.Path is not null && !File.Exists(reference.Path))
        {
            throw new FileNotFoundException($"The reference image '{reference.Path}' does not exist.", reference.Path);
        }

        var mask = context.PrepareMask(request.Mask);
        var mean = MeanRepresentation(reference, context);
        var units = Enumerable.Range(0, mean.Length).ToArray();
        if (context.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            var description = reference.ToString();
            Log.StrokeCreated(context.Logger, Name, description, units.Length, request.Strength, mask.Coverage);
        }
        return new EditStroke(Name, mask, units, mean, request.Strength, concept: null);
    }

    /// <summary>r̄_ref: the reference's representation averaged over its region, weighting each grid cell by the share
    /// of it inside the region.</summary>
    private static float[] MeanRepresentation(ReferenceImage reference, EditContext context)
    {
        var generator = context.Generator;
        var shape = generator.RepresentationShape;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var representation = reference.Representation ?? Encode(reference, context);
        if (!representation.shape.SequenceEqual(shape.ToTensorShape()))
        {
            throw new ArgumentException(
                $"The reference's representation must have shape [{string.Join(", ", shape.ToTensorShape())}]; got " +
                $"[{string.Join(", ", representation.shape)}].", nameof(reference));
        }

        var r = representation.detach().to(ScalarType.Float32).cpu();
        if (!r.isfinite().all().item<bool>())
        {
            throw new ArgumentException("The reference's representation holds NaN or infinite values.", nameof(reference));
        }

        Tensor weights;
        if (reference.Region is null)
        {
            weights = ones(1, 1, shape.Height, shape.Width);
        }
        else
        {
            StrokeMask region;
            try
            {
                region = StrokeMask.FromTensor(reference.Region, generator.Resolution, context.Logger);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The reference region: {ex.Message}", nameof(reference), ex);
            }

            weights = nn.functional.adaptive_avg_pool2d(region.ToTensor(), [shape.Height, shape.Width]);
        }

        var mean = (r * weights).sum([0, 2, 3]) / weights.sum();
        return mean.data<float>().ToArray();
    }

    private static Tensor Encode(ReferenceImage reference, EditContext context)
    {
        var encoder = context.ReferenceEncoder ?? throw new InvalidOperationException(
            $"Restyling after {reference} needs its representation: set EditContext.ReferenceEncoder (the image encoder) " +
            "or pass ReferenceImage.FromRepresentation(...).");
        var resolution = context.Generator.Resolution;
        if (reference.Path is not null)
        {
            using var loaded = ImageTensor.Load(reference.Path, resolution);
            return encoder(loaded.Tensor.to(context.Generator.Device));
        }

        var image = reference.Image!;
        if (!image.shape.SequenceEqual([1L, 3, resolution, resolution]))
        {
            throw new ArgumentException(
                $"The reference image must have shape [1, 3, {resolution}, {resolution}]; got [{string.Join(", ", image.shape)}].",
                nameof(reference));
        }

        return encoder(image.to(ScalarType.Float32).to(context.Generator.Device));
    }
}
