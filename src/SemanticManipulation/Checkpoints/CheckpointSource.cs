using System.Globalization;
using System.Text;

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
    /// <remarks>Details quote the file's own text (keys, global names, headers), which may hold line breaks and control
    /// characters: they are escaped so that every message stays one readable line.</remarks>
    public CheckpointFormatException Error(string detail, Exception? inner = null) => new($"{Name} {Escape(detail)}", Path, inner);

    /// <summary>Text taken from a file, fit to quote in a message: escaped like <see cref="Error"/> does, and cut to
    /// <paramref name="maxLength"/> characters (a corrupt header can be megabytes long).</summary>
    public static string Printable(string text, int maxLength = 200)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = Escape(text);
        return escaped.Length <= maxLength ? escaped : escaped[..maxLength] + "…";
    }

    private static string Escape(string text)
    {
        var result = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogatePair(text, i))
            {
                result.Append(c).Append(text[++i]);
                continue;
            }

            _ = c switch
            {
                '\n' => result.Append("\\n"),
                '\r' => result.Append("\\r"),
                '\t' => result.Append("\\t"),
                _ when !NeedsEscape(c) => result.Append(c),
                _ when c <= '\u00ff' => result.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            };
        }

        return result.ToString();
    }

    // Control characters, invisible format characters (e.g. bidirectional overrides), line and paragraph separators,
    // and surrogates that are not part of a pair.
    private static bool NeedsEscape(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;

    /// <summary>Formats a shape the way PyTorch users read it: <c>[32, 32, 3, 3]</c>.</summary>
    public static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
