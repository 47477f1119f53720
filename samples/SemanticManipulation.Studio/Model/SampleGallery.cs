namespace SemanticManipulation.Studio.Model;

/// <summary>
/// The sample photos shipped beside the program (<c>samples/</c>), each known by an id (its file name without the
/// extension). The client picks a sample by id; a path never comes from a request.
/// </summary>
internal sealed class SampleGallery
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"];
    private readonly Dictionary<string, string> _paths;

    public SampleGallery(string directory)
    {
        _paths = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory)
                .Where(p => Extensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToDictionary(p => Path.GetFileNameWithoutExtension(p), StringComparer.Ordinal)
            : [];
    }

    /// <summary>Where the samples are: <c>samples/</c> beside the program.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>The ids, in name order.</summary>
    public IReadOnlyList<string> Ids => [.. _paths.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The file of the sample <paramref name="id"/>, or null for an id the gallery does not list.</summary>
    public string? PathOf(string id) => _paths.GetValueOrDefault(id);

    /// <summary>The content type to serve the sample's file with.</summary>
    public static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        _ => "image/bmp",
    };
}
