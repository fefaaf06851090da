// Placeholder UI; to be replaced by the real app.
export function App() {
  return (
    <>
      <h1>skbwalk</h1>
      <main />
    </>
  );
}
