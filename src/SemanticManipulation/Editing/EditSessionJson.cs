using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemanticManipulation.Editing;

/// <summary>The edit-session file: snake_case JSON, versioned; masks deflated and base64-encoded.</summary>
internal static class EditSessionJson
{
    public const string FormatName = "semantic-manipulation.edit-session";
    public const int Version = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(EditSession session, IReadOnlyList<EditStroke> strokes, int applied)
    {
        var shape = session.RepresentationShape;
        var document = new SessionDocument(
            FormatName,
            Version,
            new ShapeDocument(shape.Channels, shape.Height, shape.Width),
            session.Resolution,
            applied,
            strokes.Select(s => new StrokeDocument(
                s.Operator,
                s.Concept,
                s.Strength,
                s.Units.ToArray(),
                s.Values.ToArray(),
                s.Mask.Size,
                s.Mask.Encode(),
                s.Notes.Count == 0 ? null : s.Notes.ToArray())).ToArray());
        return JsonSerializer.Serialize(document, Options);
    }

    /// <exception cref="InvalidDataException">The text is not a valid session.</exception>
    public static (FeatureShape Shape, int Resolution, IReadOnlyList<EditStroke> Strokes, int Applied) Read(string json, string description)
    {
        SessionDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SessionDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{description} is not a valid edit session: {ex.Message}", ex);
        }

        if (document is null || document.Format != FormatName)
        {
            throw new InvalidDataException($"{description} is not an edit session (its 'format' is not '{FormatName}').");
        }

        if (document.Version != Version)
        {
            throw new InvalidDataException($"{description} is a version {document.Version} edit session; this SDK reads version {Version}.");
        }

        if (document.Representation is null || document.Strokes is null)
        {
            throw new InvalidDataException($"{description} lacks 'representation' or 'strokes'.");
        }

        if (document.Applied < 0 || document.Applied > document.Strokes.Length)
        {
            throw new InvalidDataException(
                $"{description} says {document.Applied} strokes are applied but holds {document.Strokes.Length}.");
        }

        try
        {
            var strokes = document.Strokes.Select(s => new EditStroke(
                s.Operator ?? "",
                StrokeMask.Decode(s.MaskSize, s.Mask ?? "", null),
                s.Units ?? [],
                s.Values ?? [],
                s.Strength,
                s.Concept,
                s.Notes)).ToArray();
            var r = document.Representation;
            return (new FeatureShape(r.Channels, r.Height, r.Width), document.Resolution, strokes, document.Applied);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{description}: a stroke is invalid: {ex.Message}", ex);
        }
    }

    private sealed record SessionDocument(
        string? Format, int Version, ShapeDocument? Representation, int Resolution, int Applied, StrokeDocument[]? Strokes);

    private sealed record ShapeDocument(int Channels, int Height, int Width);

    private sealed record StrokeDocument(
        string? Operator, string? Concept, float Strength, int[]? Units, float[]? Values, int MaskSize, string? Mask, string[]? Notes);
}
