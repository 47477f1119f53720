using SixLabors.ImageSharp;

namespace SemanticManipulation.Cli;

/// <summary>
/// The files one command writes, checked before any work and put in place together. Each output is declared up front
/// (a folder where a file is expected, an image extension no encoder writes, a folder that cannot be written are
/// refused there, before a model is loaded); at the end every output is written into a hidden staging folder beside
/// its target, and only when all of them are complete, and the command was not cancelled, are they moved over their
/// targets, each replacing its old file in one rename. A failure or Ctrl+C therefore leaves none of them and every old
/// file as it was, and no staging folder (unless an old file could not even be put back, when it stays in the staging
/// folder the error names).
/// </summary>
internal sealed class OutputSet : IDisposable
{
    // Windows' and macOS's file systems ignore case by default, so there A.png and a.png are one output.
    private static readonly StringComparer PathComparer =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private readonly Dictionary<string, Output> _outputs = new(PathComparer);
    private readonly Dictionary<string, string> _stagingByDirectory = new(PathComparer);
    private readonly List<string> _createdDirectories = [];
    private bool _committed;
    private bool _keepStaging;

    /// <summary>An image output: its extension must name a format ImageSharp writes.</summary>
    public string Image(string option, FileInfo file) => Declare(option, file, OutputKind.Image);

    /// <summary>A data output (JSON, safetensors, npy): written by the SDK's own writers whatever its extension.</summary>
    public string Data(string option, FileInfo file) => Declare(option, file, OutputKind.Data);

    /// <summary>A folder of outputs (e.g. picture sheets): the files in it are put in place together with the rest.</summary>
    /// <returns>The staging folder to write the files into; they are moved into <paramref name="folder"/> on commit.</returns>
    public string Folder(string option, DirectoryInfo folder)
    {
        var target = Path.GetFullPath(folder.FullName);
        if (File.Exists(target))
        {
            throw new ArgumentException($"{option} {folder.FullName} is a file; give a folder.");
        }

        var staging = Path.Combine(StagingFor(option, target, Path.GetDirectoryName(target.TrimEnd(Path.DirectorySeparatorChar)) ?? target),
            Path.GetFileName(target.TrimEnd(Path.DirectorySeparatorChar)));
        Directory.CreateDirectory(staging);
        _outputs.Add(target, new Output(option, target, OutputKind.Folder, staging));
        return staging;
    }

    /// <summary>Says how to write a declared output; nothing is written before <see cref="Commit"/>.</summary>
    /// <param name="target">The full path <see cref="Image"/> or <see cref="Data"/> returned.</param>
    /// <param name="write">Writes the file at the path it is given (a staging path with the target's file name).</param>
    public void Write(string target, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!_outputs.TryGetValue(target, out var output))
        {
            throw new InvalidOperationException($"{target} was not declared as an output.");
        }

        output.Writer = write;
    }

    /// <summary>Writes every output into staging and then moves them all into place.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the outputs were moved: none of them is there.</exception>
    /// <exception cref="IOException">An output could not be written or put in place (the message names the target, not
    /// the staging file); none of them is there, and the old files are back (or, failing that, named).</exception>
    public void Commit(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var output in _outputs.Values.Where(o => o.Kind != OutputKind.Folder))
        {
            if (output.Writer is null)
            {
                continue;
            }

            try
            {
                output.Writer(output.Staged);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Cannot write {output.Option} {output.Target}: {Reason(ex, Path.GetDirectoryName(output.Staged), Path.GetDirectoryName(output.Target))}", ex);
            }
        }

        // The last moment to stop with nothing in place; the moves below are renames within each target's folder, each
        // replacing its old file in one step. A file a move replaces is first copied aside into staging, so that if a
        // later move fails every old file can be put back.
        cancellationToken.ThrowIfCancellationRequested();
        var placed = new List<(string Target, string? Previous)>();
        void PutInPlace(string staged, string target)
        {
            string? previous = null;
            if (File.Exists(target))
            {
                previous = staged + ".previous";
                File.Copy(target, previous);
            }

            File.Move(staged, target, overwrite: true);
            placed.Add((target, previous));
        }

        try
        {
            foreach (var output in _outputs.Values)
            {
                if (output.Kind == OutputKind.Folder)
                {
                    Directory.CreateDirectory(output.Target);
                    foreach (var file in Directory.EnumerateFiles(output.Staged, "*", SearchOption.AllDirectories).ToArray())
                    {
                        var destination = Path.Combine(output.Target, Path.GetRelativePath(output.Staged, file));
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        PutInPlace(file, destination);
                    }
                }
                else if (output.Writer is not null)
                {
                    PutInPlace(output.Staged, output.Target);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var notRestored = new List<string>();
            for (var i = placed.Count - 1; i >= 0; i--)
            {
                var (target, previous) = placed[i];
                if (previous is null)
                {
                    TryDelete(target);
                }
                else if (!TryMove(previous, target))
                {
                    notRestored.Add($"{target} (kept as {previous})");
                }
            }

            // An old file that could not be put back stays in its staging folder, which is then not removed.
            _keepStaging = notRestored.Count > 0;
            var kept = _keepStaging ? $" The previous {string.Join(", ", notRestored)} could not be put back." : "";
            throw new IOException($"Cannot put the outputs in place: {Reason(ex, null, null)}{kept}", ex);
        }

        _committed = true;
    }

    /// <summary>Removes the staging folders (and whatever a failed or cancelled command left in them; not when a failed
    /// commit could not put an old file back and left it there), and the output folders this set created when nothing was
    /// put in them.</summary>
    public void Dispose()
    {
        foreach (var staging in _keepStaging ? Enumerable.Empty<string>() : _stagingByDirectory.Values)
        {
            try
            {
                Directory.Delete(staging, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A staging folder that cannot be removed holds no output the user asked for; leave it.
            }
        }

        if (!_committed)
        {
            // Deepest first; only folders that are empty again.
            foreach (var directory in _createdDirectories.OrderByDescending(d => d.Length))
            {
                try
                {
                    Directory.Delete(directory, recursive: false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Not empty (or not ours to remove): leave it.
                }
            }
        }
    }

    private string Declare(string option, FileInfo file, OutputKind kind)
    {
        var target = Path.GetFullPath(file.FullName);
        if (Directory.Exists(target) || target.EndsWith(Path.DirectorySeparatorChar))
        {
            throw new ArgumentException($"{option} {file.FullName} is a folder; give a file name, such as {Path.Combine(file.FullName, "result" + Example(kind))}.");
        }

        if (kind == OutputKind.Image)
        {
            var extension = Path.GetExtension(target).TrimStart('.');
            var formats = Configuration.Default.ImageFormatsManager;
            var format = extension.Length == 0 ? null : formats.FindFormatByFileExtension(extension);
            if (format is null || formats.FindEncoder(format) is null)
            {
                throw new ArgumentException(
                    $"{option} {file.Name}: no image format is written for the extension '{Path.GetExtension(target)}'; use .png, .jpg, .bmp, .webp, .tga or .tiff.");
            }
        }

        if (_outputs.TryGetValue(target, out var other))
        {
            throw new ArgumentException($"{option} and {other.Option} both name {file.FullName}; give each output its own file.");
        }

        var staging = Path.Combine(StagingFor(option, target, Path.GetDirectoryName(target)!), Path.GetFileName(target));
        _outputs.Add(target, new Output(option, target, kind, staging));
        return target;
    }

    /// <summary>The staging folder for outputs in <paramref name="directory"/>, created now: creating it is the check
    /// that the folder can be written at all.</summary>
    private string StagingFor(string option, string target, string directory)
    {
        if (_stagingByDirectory.TryGetValue(directory, out var existing))
        {
            return existing;
        }

        var staging = Path.Combine(directory, $".semantic-manipulation-{Environment.ProcessId}-{_stagingByDirectory.Count}");
        try
        {
            for (var missing = directory; missing is not null && !Directory.Exists(missing); missing = Path.GetDirectoryName(missing))
            {
                _createdDirectories.Add(missing);
            }

            Directory.CreateDirectory(directory);
            Directory.CreateDirectory(staging);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write {option} {target}: no file can be created in {directory}.", ex);
        }

        _stagingByDirectory.Add(directory, staging);
        return staging;
    }

    private static string Example(OutputKind kind) => kind == OutputKind.Image ? ".png" : ".json";

    /// <summary>The first line of the failure, speaking of the user's folder rather than the hidden staging one.</summary>
    private static string Reason(Exception ex, string? stagingFolder, string? targetFolder)
    {
        var line = ex.Message.Split('\n', 2)[0].TrimEnd();
        return stagingFolder is null || targetFolder is null ? line : line.Replace(stagingFolder, targetFolder, StringComparison.Ordinal);
    }

    private static bool TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the command reports the original failure.
        }
    }

    private enum OutputKind
    {
        Image,
        Data,
        Folder,
    }

    private sealed class Output(string option, string target, OutputKind kind, string staged)
    {
        public string Option { get; } = option;

        public string Target { get; } = target;

        public OutputKind Kind { get; } = kind;

        public string Staged { get; } = staged;

        public Action<string>? Writer { get; set; }
    }
}
