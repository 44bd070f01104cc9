namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>Reads a file the running app still holds open (database, WAL, log) without disturbing it.</summary>
public static class SharedFile
{
    public static async Task<byte[]> ReadAllBytesAsync(string path)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (FileNotFoundException)
        {
            // SQLite removes -shm/-wal when the last connection closes (another test clearing the process-wide pools
            // can do that between listing the folder and reading it): a file that is gone holds nothing.
            return [];
        }
    }

    /// <summary>The text of a file another process is still writing (a log), read without blocking the writer.</summary>
    public static string ReadAllText(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}
