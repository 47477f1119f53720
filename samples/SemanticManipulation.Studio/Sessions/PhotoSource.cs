namespace SemanticManipulation.Studio.Sessions;

/// <summary>Where a photo to open comes from; never a path the client chose.</summary>
internal abstract record PhotoSource
{
    /// <summary>An uploaded image, as its encoded bytes.</summary>
    public sealed record Upload(byte[] Bytes) : PhotoSource;

    /// <summary>A shipped sample, by its gallery id and the file the gallery resolved it to.</summary>
    public sealed record Sample(string Id, string Path) : PhotoSource;

    /// <summary>The generator's own image for a seed (its representation is known, so it is not inverted).</summary>
    public sealed record Seed(long Value) : PhotoSource;
}
