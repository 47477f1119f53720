namespace SemanticManipulation.Checkpoints;

/// <summary>The file being read, so that every error names it the same way.</summary>
internal sealed class CheckpointSource
{
    public CheckpointSource(string path)
    {
        Path = path;
        var name = System.IO.Path.GetFileName(path);
        Name = string.IsNullOrEmpty(name) ? path : name;
    }

    /// <summary>The path (or display name) as the caller gave it; becomes <see cref="CheckpointFormatException.FilePath"/>.</summary>
    public string Path { get; }

    /// <summary>The file name, which starts every message (the full path is in the exception's FilePath).</summary>
    public string Name { get; }

    /// <summary>An exception whose message is the file name followed by <paramref name="detail"/>.</summary>
    /// <param name="detail">Continues the sentence after the file name, e.g. "is truncated: …".</param>
    /// <param name="inner">The underlying cause, if any.</param>
    public CheckpointFormatException Error(string detail, Exception? inner = null) => new($"{Name} {detail}", Path, inner);

    /// <summary>Formats a shape the way PyTorch users read it: <c>[32, 32, 3, 3]</c>.</summary>
    public static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
