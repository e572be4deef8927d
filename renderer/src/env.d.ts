// Vite turns imported stylesheets into a .css asset.
declare module '*.css';
