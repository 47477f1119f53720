namespace SemanticManipulation.Training;

/// <summary>
/// Exclusive use of a work folder for one training run. Two runs in one folder would both resume the same checkpoints
/// and overwrite each other's; the second is refused instead, before it reads anything.
/// </summary>
/// <remarks>
/// The lock is the operating system's on an open file (<see cref="FileShare.None"/>: a share-mode lock on Windows, an
/// advisory <c>flock</c> on Unix, which every .NET process honours), so it goes with the process: a run that is killed
/// leaves the file behind but not the lock, and the next run starts without anyone deleting anything. The file stays
/// in the folder: deleting it on close would let a run that opened it just before the delete hold a lock on a file no
/// one else can see.
/// </remarks>
internal sealed class WorkFolderLock : IDisposable
{
    /// <summary>The lock file's name in the work folder.</summary>
    public const string FileName = "train.lock";

    // How a held lock surfaces: ERROR_SHARING_VIOLATION as an HRESULT on Windows, flock's EWOULDBLOCK (the errno) on Unix.
    private const int SharingViolation = unchecked((int)0x80070020);
    private static readonly int WouldBlock = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 35 : 11;

    private readonly FileStream _file;

    private WorkFolderLock(FileStream file) => _file = file;

    /// <summary>Takes the folder for this run (the folder must exist).</summary>
    /// <exception cref="IOException">Another run holds the folder.</exception>
    public static WorkFolderLock Acquire(string workDirectory)
    {
        var path = Path.Combine(workDirectory, FileName);
        try
        {
            return new WorkFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (ex.HResult == SharingViolation || ex.HResult == WouldBlock)
        {
            throw new IOException(
                $"Another training run is using the work folder {workDirectory} (it holds the lock on {path}). " +
                "Wait for it to finish, or give this run a work folder of its own.", ex);
        }
    }

    /// <summary>Releases the folder.</summary>
    public void Dispose() => _file.Dispose();
}
