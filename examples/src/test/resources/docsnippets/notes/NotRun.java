class NotRun {
  // tag::greeting[]
  String greeting = "hello";
  // end::greeting[]
}
