package sample;

// The source of the checker's fixtures (DocSnippetsCheckerTest): never compiled, only read.
class SampleSnippetsTest {

  void regions() {
    // tag::greeting[]
    String greeting = "hello";
    System.out.println(greeting);
    // end::greeting[]

    // tag::outer[]
    int a = 1;
    // tag::inner[]
    int b = a + 1;
    // end::inner[]
    if (b > a) {
      System.out.println(b);
    }
    // end::outer[]

    // tag::unclosed[]
    int c = 3;
  }
}
