// Copies text to the clipboard; false if the browser refused (no permission,
// an embed without clipboard-write, an insecure context).
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
