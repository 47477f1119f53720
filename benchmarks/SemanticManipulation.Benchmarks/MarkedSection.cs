namespace SemanticManipulation.Benchmarks;

/// <summary>
/// A block of a Markdown file that a runner owns: between <c>&lt;!-- NAME:begin … --&gt;</c> and
/// <c>&lt;!-- NAME:end --&gt;</c>, rewritten on every run, the rest of the file left as it is.
/// </summary>
internal static class MarkedSection
{
    /// <summary>Replaces (or adds, after the title line) the block named <paramref name="name"/> in <paramref name="path"/>.</summary>
    public static void Write(string path, string name, string runner, string section)
    {
        var begin = $"<!-- {name}:begin (written by the {runner}; do not edit by hand) -->";
        var end = $"<!-- {name}:end -->";
        var block = $"{begin}\n{section.TrimEnd()}\n{end}";
        if (!File.Exists(path))
        {
            File.WriteAllText(path, $"# Benchmarks\n\n{block}\n");
            return;
        }

        var text = File.ReadAllText(path);
        var at = text.IndexOf(begin, StringComparison.Ordinal);
        var until = text.IndexOf(end, StringComparison.Ordinal);
        if (at >= 0 && until > at)
        {
            text = text[..at] + block + text[(until + end.Length)..];
        }
        else
        {
            // After the title line, before what follows.
            var firstBreak = text.IndexOf('\n', StringComparison.Ordinal);
            text = firstBreak < 0 ? $"{text}\n\n{block}\n" : $"{text[..(firstBreak + 1)]}\n{block}\n{text[(firstBreak + 1)..]}";
        }

        File.WriteAllText(path, text);
    }

    /// <summary>The repository's root folder (where <c>SemanticManipulation.sln</c> is), from the working or the app's folder.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "SemanticManipulation.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from inside the repository (SemanticManipulation.sln not found).");
    }
}
