using System.Diagnostics;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// A folder of real photos with a <c>manifest.tsv</c> naming each one's source and licence, as the repository's
/// <c>tools/real-photos/fetch.sh</c> writes it: a header line, then one tab-separated line per photo with at least the
/// columns <c>file</c>, <c>package</c>, <c>version</c>, <c>path_in_package</c>, <c>licence</c> and <c>author</c>.
/// </summary>
public sealed class RealPhotoSet
{
    /// <summary>The manifest's file name inside the folder.</summary>
    public const string ManifestFileName = "manifest.tsv";

    private static readonly string[] RequiredColumns = ["file", "package", "version", "path_in_package", "licence", "author"];

    private RealPhotoSet(string directory, IReadOnlyList<RealPhoto> photos) => (Directory, Photos) = (directory, photos);

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The photos, in the manifest's order.</summary>
    public IReadOnlyList<RealPhoto> Photos { get; }

    /// <summary>Reads the manifest of <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The manifest or a photo it lists is missing (one line saying how to fetch them).</exception>
    /// <exception cref="InvalidDataException">The manifest lacks a column or has a short line.</exception>
    public static RealPhotoSet Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var manifest = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifest))
        {
            throw new FileNotFoundException($"No real photos in {directory}: run tools/real-photos/fetch.sh (Debian or Ubuntu, apt-get) to fetch them.", manifest);
        }

        var lines = File.ReadAllLines(manifest).Where(l => l.Length > 0).ToArray();
        var header = lines.Length > 0 ? lines[0].Split('\t') : [];
        var columns = RequiredColumns.Select(name => Array.IndexOf(header, name)).ToArray();
        if (columns.Any(c => c < 0))
        {
            throw new InvalidDataException($"{manifest} has no '{RequiredColumns[Array.IndexOf(columns, -1)]}' column.");
        }

        var photos = new List<RealPhoto>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split('\t');
            if (fields.Length < header.Length)
            {
                throw new InvalidDataException($"{manifest}: '{line}' has {fields.Length} fields; the header has {header.Length}.");
            }

            var path = Path.Combine(directory, fields[columns[0]]);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is listed in {manifest} but missing: run tools/real-photos/fetch.sh again.", path);
            }

            photos.Add(new RealPhoto(path, fields[columns[1]], fields[columns[2]], fields[columns[3]], fields[columns[4]], fields[columns[5]]));
        }

        return new RealPhotoSet(directory, photos);
    }

    /// <summary>Reads the manifest of <paramref name="directory"/>, first running <paramref name="fetchScript"/> (with
    /// bash, the folder as its argument) when the manifest is not there.</summary>
    /// <exception cref="InvalidOperationException">The script failed; the message is its last error line.</exception>
    public static RealPhotoSet LoadOrFetch(string directory, string fetchScript)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(fetchScript);
        if (!File.Exists(Path.Combine(directory, ManifestFileName)))
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(fetchScript);
            start.ArgumentList.Add(directory);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start bash to run {fetchScript}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            _ = output.Result;
            if (process.ExitCode != 0)
            {
                var last = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit code {process.ExitCode}";
                throw new InvalidOperationException($"Fetching the real photos failed: {last}");
            }
        }

        return Load(directory);
    }
}
