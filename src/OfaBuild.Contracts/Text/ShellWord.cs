namespace OfaBuild.Contracts;

/// <summary>A word of a command a message tells the user to run (a path, a name), as a POSIX shell reads it back verbatim.</summary>
public static class ShellWord
{
    /// <summary>As it is when plain, else single-quoted.</summary>
    public static string Quote(string word)
    {
        bool plain = word.Length > 0;
        foreach (char c in word)
            plain &= c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "._/+=:@,~-".IndexOf(c) >= 0;
        return plain ? word : "'" + word.Replace("'", "'\\''") + "'";
    }
}
