// The agent executable: `check` (one-shot sweep from this machine) and, later, `run` (remote agent).
Console.Error.WriteLine("not implemented yet");
return 2;
