using SemanticManipulation.Editing;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>Checks a fit's inputs up front, so a bad one fails with its reason before any work is done. The photo and
/// the edit region were checked when they were made; only their resolution is compared with the generator's.</summary>
internal static class AdaptationInputs
{
    public static void Validate(ILayerSplitGenerator generator, AdaptationTarget target)
    {
        var r = generator.Resolution;
        var shape = generator.RepresentationShape;
        ArgumentNullException.ThrowIfNull(target.Photo);
        target.Photo.ThrowIfNotResolution(r);
        RequireShape(target.Representation, shape.ToTensorShape(), "representation");
        RequireFinite(target.Representation, "representation");
        if (target.EditedRepresentation is not null)
        {
            RequireShape(target.EditedRepresentation, shape.ToTensorShape(), "edited representation");
            RequireFinite(target.EditedRepresentation, "edited representation");
        }

        if (target.EditMask is not null)
        {
            RequireRegion(target.EditMask, r);
        }
    }

    public static void ValidateMask(Tensor mask, int resolution)
    {
        RequireShape(mask, [1, 1, resolution, resolution], "edit mask");
        RequireFinite(mask, "edit mask");
        using var scope = NewDisposeScope();
        var min = mask.min().item<float>();
        var max = mask.max().item<float>();
        if (min < 0 || max > 1)
        {
            throw new ArgumentException($"The edit mask must hold values in [0, 1]; it ranges over [{min}, {max}].");
        }
    }

    private static void RequireShape(Tensor tensor, long[] expected, string what)
    {
        ArgumentNullException.ThrowIfNull(tensor, what);
        if (!tensor.shape.SequenceEqual(expected))
        {
            throw new ArgumentException(
                $"The {what} must have shape [{string.Join(", ", expected)}]; got [{string.Join(", ", tensor.shape)}].");
        }
    }

    private static void RequireFinite(Tensor tensor, string what)
    {
        if (Checkpoints.StateDictCopier.NonFinite(tensor) is { } problem)
        {
            throw new ArgumentException($"The {what} holds {problem}; it must be finite.");
        }
    }

    /// <summary>Refuses an edit region made for another resolution, saying how to make it for this one.</summary>
    public static void RequireRegion(StrokeMask region, int resolution)
    {
        if (region.Size != resolution)
        {
            throw new ArgumentException(
                $"The edit mask is {region.Size}×{region.Size} pixels but the generator's resolution is {resolution}×{resolution}; " +
                $"make it with StrokeMask.FromTensor(mask, {resolution}).");
        }
    }
}
