namespace SemanticManipulation.Imaging;

/// <summary>
/// Writes files so that readers see either the old content or the complete new content, never a partial file: the
/// data goes to a temporary file in the target's directory (same volume, so the final rename is atomic) and replaces
/// the target only once it is complete and flushed.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The target directory does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var (target, temporary) = Prepare(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on cancellation the target is left
    /// untouched.</summary>
    /// <exception cref="DirectoryNotFoundException">The target directory does not exist.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (target, temporary) = Prepare(path);
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            // The last point at which cancelling still means "nothing was written".
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static (string Target, string Temporary) Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"Cannot save to '{path}': it names a root directory, not a file.", nameof(path));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Cannot save '{path}': the directory '{directory}' does not exist. Create it first.");
        }

        if (Directory.Exists(target))
        {
            throw new IOException($"Cannot save '{path}': a directory of that name exists.");
        }

        // Hidden, unique per call, and recognisably ours should a crash ever leave one behind.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        return (target, temporary);
    }

    /// <summary>Deletes <paramref name="path"/> if it can (a missing file is not an error): for clean-up whose failure
    /// must not hide what the caller is reporting, or undo what it already committed.</summary>
    /// <returns>False when the file is still there (in use, or no permission).</returns>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
