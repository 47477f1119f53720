using SemanticManipulation.Editing;
using SemanticManipulation.Studio.Model;
using SemanticManipulation.Studio.Sessions;

namespace SemanticManipulation.Studio.Api;

/// <summary>Checks a stroke request against the model before any tensor work, answering each mistake with what to send
/// instead.</summary>
internal static class StrokeValidation
{
    /// <summary>The validated stroke.</summary>
    /// <exception cref="StudioException">400 (or 404 for an unknown sample) naming the field and the accepted values.</exception>
    public static StrokeCommand Validate(StrokeRequest? request, StudioModel model, SampleGallery samples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        if (request is null)
        {
            throw StudioException.BadRequest("Send the stroke as a JSON object: { action, concept, intensity, strength, mask, reference }.");
        }

        var action = request.Action?.Trim().ToLowerInvariant();
        if (action is null || !NamedEdits.Names.Contains(action, StringComparer.Ordinal))
        {
            throw StudioException.BadRequest($"Unknown action '{request.Action}': use one of {string.Join(", ", NamedEdits.Names)}.");
        }

        string? concept = null;
        if (action != RestyleOperator.OperatorName)
        {
            if (model.Concepts.Count == 0)
            {
                throw StudioException.BadRequest("This model has no concept catalog, so only restyle strokes are possible.");
            }

            concept = string.IsNullOrWhiteSpace(request.Concept)
                ? throw StudioException.BadRequest($"The '{action}' action needs a concept: one of {string.Join(", ", model.Concepts.Select(c => c.Name))}.")
                : model.FindConcept(request.Concept) ?? throw StudioException.BadRequest(
                    $"Unknown concept '{request.Concept}': this model knows {string.Join(", ", model.Concepts.Select(c => c.Name))}.");
        }

        var intensity = request.Intensity?.Trim().ToLowerInvariant() switch
        {
            null or "" or "high" => ConceptIntensity.High,
            "medium" => ConceptIntensity.Medium,
            "low" => ConceptIntensity.Low,
            _ => throw StudioException.BadRequest($"Unknown intensity '{request.Intensity}': use low, medium or high."),
        };

        var strength = request.Strength ?? 1;
        if (!(strength >= 0 && strength <= 1))
        {
            throw StudioException.BadRequest($"The strength must be between 0 and 1; got {strength}.");
        }

        var mask = DecodeMask(request.Mask, model.Resolution);
        var reference = action == RestyleOperator.OperatorName ? Reference(request.Reference, samples) : null;
        return new StrokeCommand(action, concept, intensity, (float)strength, mask, reference, request.Photo);
    }

    private static float[] DecodeMask(string? encoded, int resolution)
    {
        var expected = resolution * resolution;
        var how = $"send it as base64 of {resolution}×{resolution} = {expected} bytes, row-major, 0 = untouched, 255 = edit";
        if (string.IsNullOrEmpty(encoded))
        {
            throw StudioException.BadRequest($"The stroke needs a mask: {how}.");
        }

        var bytes = new byte[expected + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            // Either not base64 or longer than a mask can be.
            var decodable = encoded.Length <= 4 * ((expected + 2) / 3) + 4;
            throw StudioException.BadRequest(decodable ? $"The mask is not valid base64: {how}." : $"The mask is larger than {expected} bytes: {how}.");
        }

        if (length != expected)
        {
            throw StudioException.BadRequest($"The mask has {length} bytes but this model's canvas is {resolution}×{resolution}: {how}.");
        }

        var values = new float[expected];
        var painted = false;
        for (var i = 0; i < expected; i++)
        {
            values[i] = bytes[i] / 255f;
            painted |= bytes[i] > 0;
        }

        return painted ? values : throw StudioException.BadRequest("The mask is empty (no painted pixel): paint the region to edit.");
    }

    private static ReferenceChoice Reference(ReferenceRequest? request, SampleGallery samples)
    {
        var given = (request?.Sample is null ? 0 : 1) + (request?.Seed is null ? 0 : 1) + (request?.Upload is null ? 0 : 1);
        if (request is null || given != 1)
        {
            throw StudioException.BadRequest(
                "A restyle needs exactly one reference: { \"sample\": ID } from the gallery, { \"seed\": N } for a generated image, or { \"upload\": ID } from POST …/references.");
        }

        if (request.Sample is string sample)
        {
            return samples.PathOf(sample) is string path
                ? new ReferenceChoice.Sample(sample, path)
                : throw StudioException.NotFound($"Unknown sample '{sample}': the samples are {string.Join(", ", samples.Ids)}.");
        }

        return request.Seed is long seed ? new ReferenceChoice.Seed(seed) : new ReferenceChoice.Upload(request.Upload!);
    }
}
