Console.WriteLine("The call simulator is not built yet.");
return 1;
